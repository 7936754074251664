// MARK: - Global-norm gradient clipping

/// The L2 norm of a flat gradient buffer, accumulated in Double.
/// - Parameters:
///   - grads: (count).  - count: floats.
public func gradientGlobalNorm(grads: UnsafePointer<Float>,  // (count)
                               count: Int) -> Float {
    var sum: Double = 0
    var i = 0
    // 8 independent partial sums so the loop vectorises despite the Double accumulator.
    var part = SIMD8<Double>()
    while i &+ 8 <= count {
        let g = SIMD8<Double>(SIMD8<Float>(UnsafeBufferPointer(start: grads + i, count: 8)))
        part += g * g
        i = i &+ 8
    }
    sum = part.sum()
    while i < count {
        sum += Double(grads[i]) * Double(grads[i])
        i = i &+ 1
    }
    return Float(sum.squareRoot())
}

/// Clips a flat gradient buffer to a global L2 norm of at most `maxNorm`, in place
/// (PyTorch `clip_grad_norm_`: scale by `maxNorm / (norm + 1e-6)` when that is below 1).
/// - Parameters:
///   - grads: (count) scaled in place.  - count: floats.  - maxNorm: the largest norm kept.
/// - Returns: the norm before clipping.
@discardableResult
public func clipGradients(grads: UnsafeMutablePointer<Float>,  // (count)
                          count: Int, maxNorm: Float) -> Float {
    let norm = gradientGlobalNorm(grads: grads, count: count)
    let coef = maxNorm / (norm + 1e-6)
    if coef < 1 {
        for i in 0..<count { grads[i] *= coef }
    }
    return norm
}
