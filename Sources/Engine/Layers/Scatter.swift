// MARK: - Scatter rows by index (tokens back to their slots)
//
// The model moves tokens between packed buffers with these three: `gatherRows` picks the
// visible tokens out of all T per segment, `scatterRows` puts rows back at their slots (and
// concatenates the encoders' outputs into the bottleneck's sequences), `fillRows` writes the
// learned mask token at every hidden slot. Indices are global row numbers of the packed
// buffers.

/// Scatter forward: `out[index[m]] = inp[m]`; rows of `out` not in `index` are untouched.
/// - Parameters:
///   - out: (N, C).  - inp: (M, C).  - index: (M) distinct rows of `out`.
public func scatterRowsForward(out: UnsafeMutablePointer<Float>,  // (N, C)
                               inp: UnsafePointer<Float>,         // (M, C)
                               index: UnsafePointer<Int32>,       // (M)
                               M: Int, C: Int) {
    for m in 0..<M {
        let x = inp + m &* C
        let y = out + Int(index[m]) &* C
        for i in 0..<C { y[i] = x[i] }
    }
}

/// Scatter backward: `dinp[m] += dout[index[m]]`.
/// - Parameters:
///   - dinp: (M, C) (+=).  - dout: (N, C).  - index: (M).
public func scatterRowsBackward(dinp: UnsafeMutablePointer<Float>,  // (M, C)
                                dout: UnsafePointer<Float>,         // (N, C)
                                index: UnsafePointer<Int32>,        // (M)
                                M: Int, C: Int) {
    // in the forward pass this was: out[index[m]] = inp[m]
    for m in 0..<M {
        let dy = dout + Int(index[m]) &* C
        let dx = dinp + m &* C
        for i in 0..<C { dx[i] += dy[i] }
    }
}
