// MARK: - Mean pooling per sequence (the fingerprint's first step)

/// Mean-pool forward: `out[b] = mean of inp rows offsets[b] ..< offsets[b+1]`; an empty
/// sequence gives a zero row.
/// - Parameters:
///   - out: (B, C).  - inp: (N, C).  - offsets: (B+1) prefix sums of sequence lengths.
public func meanPoolForward(out: UnsafeMutablePointer<Float>,  // (B, C)
                            inp: UnsafePointer<Float>,         // (N, C)
                            offsets: UnsafePointer<Int32>,     // (B+1)
                            B: Int, C: Int) {
    for b in 0..<B {
        let start = Int(offsets[b]), end = Int(offsets[b &+ 1])
        let y = out + b &* C
        for i in 0..<C { y[i] = 0 }
        if end == start { continue }
        for n in start..<end {
            let x = inp + n &* C
            for i in 0..<C { y[i] += x[i] }
        }
        let inv = 1 / Float(end &- start)
        for i in 0..<C { y[i] *= inv }
    }
}

/// Mean-pool backward: `dinp[n] += dout[b] / L_b` for every row n of sequence b.
/// - Parameters:
///   - dinp: (N, C) (+=).  - dout: (B, C).  - offsets: (B+1).
public func meanPoolBackward(dinp: UnsafeMutablePointer<Float>,  // (N, C)
                             dout: UnsafePointer<Float>,         // (B, C)
                             offsets: UnsafePointer<Int32>,      // (B+1)
                             B: Int, C: Int) {
    // in the forward pass this was: out[b] = Σ_n inp[n] / L_b
    for b in 0..<B {
        let start = Int(offsets[b]), end = Int(offsets[b &+ 1])
        if end == start { continue }
        let inv = 1 / Float(end &- start)
        let dy = dout + b &* C
        for n in start..<end {
            let dx = dinp + n &* C
            for i in 0..<C { dx[i] += dy[i] * inv }
        }
    }
}
