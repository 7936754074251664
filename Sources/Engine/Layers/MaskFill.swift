// MARK: - Fill rows with a token (mask tokens at hidden slots)
//
// The model moves tokens between packed buffers with these three: `gatherRows` picks the
// visible tokens out of all T per segment, `scatterRows` puts rows back at their slots (and
// concatenates the encoders' outputs into the bottleneck's sequences), `fillRows` writes the
// learned mask token at every hidden slot. Indices are global row numbers of the packed
// buffers.

/// Fill forward (mask tokens): `out[index[k]] = token` for every k; other rows untouched.
/// - Parameters:
///   - out: (N, C).  - token: (C) the learned mask token.  - index: (K) distinct rows.
public func fillRowsForward(out: UnsafeMutablePointer<Float>,  // (N, C)
                            token: UnsafePointer<Float>,       // (C)
                            index: UnsafePointer<Int32>,       // (K)
                            K: Int, C: Int) {
    for k in 0..<K {
        let y = out + Int(index[k]) &* C
        for i in 0..<C { y[i] = token[i] }
    }
}

/// Fill backward: `dtoken += Σ_k dout[index[k]]`.
/// - Parameters:
///   - dtoken: (C) (+=).  - dout: (N, C).  - index: (K).
public func fillRowsBackward(dtoken: UnsafeMutablePointer<Float>,  // (C)
                             dout: UnsafePointer<Float>,           // (N, C)
                             index: UnsafePointer<Int32>,          // (K)
                             K: Int, C: Int) {
    // in the forward pass this was: out[index[k]] = token
    for k in 0..<K {
        let dy = dout + Int(index[k]) &* C
        for i in 0..<C { dtoken[i] += dy[i] }
    }
}
