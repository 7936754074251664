// MARK: - Modality embedding (one vector added to every token of a modality)
//
// A patch embedding is matmulForward(P → C) followed by these two adds: the learned
// position embedding picked by each token's position index (its patch slot 0..<T within
// its segment, so visible tokens keep their original position), and one modality vector.

/// Modality-embedding forward: adds one (C) vector to every row, `out[n] = inp[n] + vec`
/// (`out` may alias `inp`).
/// - Parameters:
///   - out: (N, C).  - inp: (N, C).  - vec: (C) the modality embedding.
public func modalityEmbeddingForward(out: UnsafeMutablePointer<Float>,  // (N, C)
                                     inp: UnsafePointer<Float>,         // (N, C)
                                     vec: UnsafePointer<Float>,         // (C)
                                     N: Int, C: Int) {
    for n in 0..<N {
        let x = inp + n &* C
        let y = out + n &* C
        for i in 0..<C { y[i] = x[i] + vec[i] }
    }
}

/// Modality-embedding backward: `dinp += dout`, `dvec += Σ_n dout[n]`.
/// - Parameters:
///   - dinp: (N, C) (+=), or nil.  - dvec: (C) (+=).  - dout: (N, C).
public func modalityEmbeddingBackward(dinp: UnsafeMutablePointer<Float>?,  // (N, C)
                                      dvec: UnsafeMutablePointer<Float>,   // (C)
                                      dout: UnsafePointer<Float>,          // (N, C)
                                      N: Int, C: Int) {
    // in the forward pass this was: out[n] = inp[n] + vec
    for n in 0..<N {
        let dy = dout + n &* C
        for i in 0..<C { dvec[i] += dy[i] }
        if let dinp {
            let dx = dinp + n &* C
            for i in 0..<C { dx[i] += dy[i] }
        }
    }
}
