// MARK: - Gather rows by index (visible tokens out of all T)
//
// The model moves tokens between packed buffers with these three: `gatherRows` picks the
// visible tokens out of all T per segment, `scatterRows` puts rows back at their slots (and
// concatenates the encoders' outputs into the bottleneck's sequences), `fillRows` writes the
// learned mask token at every hidden slot. Indices are global row numbers of the packed
// buffers.

/// Gather forward: `out[m] = inp[index[m]]`.
/// - Parameters:
///   - out: (M, C).  - inp: (N, C).  - index: (M) rows of `inp`, repeats allowed.
public func gatherRowsForward(out: UnsafeMutablePointer<Float>,  // (M, C)
                              inp: UnsafePointer<Float>,         // (N, C)
                              index: UnsafePointer<Int32>,       // (M)
                              M: Int, C: Int) {
    for m in 0..<M {
        let x = inp + Int(index[m]) &* C
        let y = out + m &* C
        for i in 0..<C { y[i] = x[i] }
    }
}

/// Gather backward: `dinp[index[m]] += dout[m]` (repeated indices accumulate).
/// - Parameters:
///   - dinp: (N, C) (+=).  - dout: (M, C).  - index: (M).
public func gatherRowsBackward(dinp: UnsafeMutablePointer<Float>,  // (N, C)
                               dout: UnsafePointer<Float>,         // (M, C)
                               index: UnsafePointer<Int32>,        // (M)
                               M: Int, C: Int) {
    // in the forward pass this was: out[m] = inp[index[m]]
    for m in 0..<M {
        let dy = dout + m &* C
        let dx = dinp + Int(index[m]) &* C
        for i in 0..<C { dx[i] += dy[i] }
    }
}
