// MARK: - Learned position embedding by token position index
//
// A patch embedding is matmulForward(P → C) followed by these two adds: the learned
// position embedding picked by each token's position index (its patch slot 0..<T within
// its segment, so visible tokens keep their original position), and one modality vector.

/// Position-embedding forward: `out[n] = inp[n] + wpe[positions[n]]` (`out` may alias `inp`).
/// - Parameters:
///   - out: (N, C).  - inp: (N, C).
///   - wpe: (T, C) learned position embedding.
///   - positions: (N) position index of each token, each in 0..<T.
public func positionEmbeddingForward(out: UnsafeMutablePointer<Float>,   // (N, C)
                                     inp: UnsafePointer<Float>,          // (N, C)
                                     wpe: UnsafePointer<Float>,          // (T, C)
                                     positions: UnsafePointer<Int32>,    // (N)
                                     N: Int, C: Int) {
    for n in 0..<N {
        let x = inp + n &* C
        let e = wpe + Int(positions[n]) &* C
        let y = out + n &* C
        for i in 0..<C { y[i] = x[i] + e[i] }
    }
}

/// Position-embedding backward: `dinp += dout`, `dwpe[positions[n]] += dout[n]`.
/// - Parameters:
///   - dinp: (N, C) (+=), or nil when the input needs no gradient.
///   - dwpe: (T, C) (+=).  - dout: (N, C).  - positions: (N).
public func positionEmbeddingBackward(dinp: UnsafeMutablePointer<Float>?,  // (N, C)
                                      dwpe: UnsafeMutablePointer<Float>,   // (T, C)
                                      dout: UnsafePointer<Float>,          // (N, C)
                                      positions: UnsafePointer<Int32>,     // (N)
                                      N: Int, C: Int) {
    // in the forward pass this was: out[n] = inp[n] + wpe[positions[n]]
    for n in 0..<N {
        let dy = dout + n &* C
        let de = dwpe + Int(positions[n]) &* C
        for i in 0..<C { de[i] += dy[i] }
        if let dinp {
            let dx = dinp + n &* C
            for i in 0..<C { dx[i] += dy[i] }
        }
    }
}
