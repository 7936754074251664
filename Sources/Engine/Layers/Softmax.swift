// MARK: - Row-wise softmax

/// Softmax forward over each row of an (R, L) matrix, max-subtracted for stability,
/// with the vectorised exponential of `Kernels/_FastMath.swift` (`out` may alias `inp`, as
/// attention does).
/// - Parameters:
///   - out: (R, L) probabilities, each row sums to 1.  - inp: (R, L) logits.
///   - R: rows.  - L: row length (L = 0 is a no-op).
public func softmaxForward(out: UnsafeMutablePointer<Float>,  // (R, L)
                           inp: UnsafePointer<Float>,         // (R, L)
                           R: Int, L: Int) {
    if L == 0 { return }
    for r in 0..<R {
        let x = inp + r &* L
        let y = out + r &* L
        let maxval = reduceMax(x, L)
        // exponentials and their sum in one pass
        var j = 0
        let m8 = SIMD8<Float>(repeating: maxval)
        var acc = SIMD8<Float>()
        while j &+ 8 <= L {
            let e = expNonPositive(load8(x + j) - m8)   // x − max ≤ 0
            store8(e, y + j)
            acc += e
            j = j &+ 8
        }
        var sum = acc.sum()
        while j < L {
            let e = fastExp(x[j] - maxval)
            y[j] = e
            sum += e
            j = j &+ 1
        }
        let inv = 1 / sum
        for j in 0..<L { y[j] *= inv }
    }
}

/// Softmax backward: `dinp += out ⊙ (dout − rowsum(out ⊙ dout))`.
/// - Parameters:
///   - dinp: (R, L) (+=).  - dout: (R, L).  - out: (R, L) the forward probabilities.
public func softmaxBackward(dinp: UnsafeMutablePointer<Float>,  // (R, L)
                            dout: UnsafePointer<Float>,         // (R, L)
                            out: UnsafePointer<Float>,          // (R, L)
                            R: Int, L: Int) {
    // in the forward pass this was: out[j] = exp(x[j]) / Σ_k exp(x[k])
    for r in 0..<R {
        let p = out + r &* L
        let dy = dout + r &* L
        let dx = dinp + r &* L
        let dot = reduceDot(p, dy, L)
        for j in 0..<L { dx[j] += p[j] * (dy[j] - dot) }
    }
}
