import Foundation

// MARK: - AdamW

/// AdamW hyper-parameters (decoupled weight decay, PyTorch `torch.optim.AdamW` semantics).
public struct AdamWConfig: Sendable, Equatable {
    /// First-moment decay β1.
    public var beta1: Float = 0.9
    /// Second-moment decay β2.
    public var beta2: Float = 0.95
    /// Denominator epsilon (added after the square root, as PyTorch does).
    public var eps: Float = 1e-8
    /// Decoupled weight decay, applied where the decay mask is 1.
    public var weightDecay: Float = 0.05

    /// The project's defaults: β 0.9/0.95, eps 1e-8, weight decay 0.05.
    public init(beta1: Float = 0.9, beta2: Float = 0.95, eps: Float = 1e-8, weightDecay: Float = 0.05) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }
}

/// One AdamW step over a flat parameter buffer, in a single loop:
/// `m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
///  p −= lr·( m̂ / (sqrt(v̂) + eps) + wd·mask·p )` with bias-corrected m̂, v̂.
/// - Parameters:
///   - params: (count) updated in place.  - grads: (count).
///   - m, v: (count) AdamW moments, updated in place (start at zero).
///   - decayMask: (count) 1 where weight decay applies (matrices), 0 elsewhere.
///   - count: floats in all five buffers.
///   - learningRate: this step's learning rate.  - step: 1 for the first step.
///   - config: β1, β2, eps, weight decay.
public func adamWUpdate(params: UnsafeMutablePointer<Float>,  // (count)
                        grads: UnsafePointer<Float>,          // (count)
                        m: UnsafeMutablePointer<Float>,       // (count)
                        v: UnsafeMutablePointer<Float>,       // (count)
                        decayMask: UnsafePointer<Float>,      // (count)
                        count: Int, learningRate: Float, step: Int,
                        config: AdamWConfig = AdamWConfig()) {
    let b1 = config.beta1, b2 = config.beta2
    let c1 = 1 / (1 - Float(pow(Double(b1), Double(step))))
    let c2 = 1 / (1 - Float(pow(Double(b2), Double(step))))
    let lrDecay = learningRate * config.weightDecay
    let eps = config.eps
    // Explicit eight-lane body: with five buffers the auto-vectoriser would need more runtime
    // overlap checks than it allows and stay scalar.
    var i = 0
    while i &+ 8 <= count {
        let g = load8(grads + i)
        let mi = b1 * load8(m + i) + (1 - b1) * g
        let vi = b2 * load8(v + i) + (1 - b2) * g * g
        store8(mi, m + i)
        store8(vi, v + i)
        let p = load8(params + i)
        let update: SIMD8<Float> = (mi * c1) / ((vi * c2).squareRoot() + eps)
        let decay: SIMD8<Float> = lrDecay * load8(decayMask + i) * p
        store8(p - (learningRate * update + decay), params + i)
        i = i &+ 8
    }
    while i < count {
        let g = grads[i]
        let mi = b1 * m[i] + (1 - b1) * g
        let vi = b2 * v[i] + (1 - b2) * g * g
        m[i] = mi
        v[i] = vi
        let update = (mi * c1) / ((vi * c2).squareRoot() + eps)
        params[i] -= learningRate * update + lrDecay * decayMask[i] * params[i]
        i = i &+ 1
    }
}
