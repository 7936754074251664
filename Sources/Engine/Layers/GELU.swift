// MARK: - GELU (tanh approximation)

/// sqrt(2/π), the tanh approximation's scale.
private let geluScale = Float((2.0 / Double.pi).squareRoot())

/// −2·sqrt(2/π): GELU's forward evaluates e^{−2u} directly.
private let geluMinusTwoScale = -2 * geluScale

/// GELU forward, tanh approximation (PyTorch `nn.GELU(approximate="tanh")`):
/// `out = 0.5·x·(1 + tanh(u))`, u = sqrt(2/π)·(x + 0.044715·x³), evaluated in the equal
/// logistic form `out = x / (1 + e^{−2u})` (one exponential and one division, no tanh),
/// eight lanes at a time (`out` may alias `inp`). e^{−2u} is clamped to [e^{−87.3}, e^{88.3}]:
/// for x ≳ 10 the result is x, for x ≲ −10 a vanishing x·e^{2u}, as in PyTorch.
/// - Parameters:
///   - out: (count) result.  - inp: (count).  - count: elements (N·C for token rows).
public func geluForward(out: UnsafeMutablePointer<Float>,  // (count)
                        inp: UnsafePointer<Float>,         // (count)
                        count: Int) {
    var i = 0
    while i &+ 8 <= count {
        let x = load8(inp + i)
        var z: SIMD8<Float> = geluMinusTwoScale * (x + 0.044715 * x * x * x)  // −2u
        z = z.replacing(with: 88.3, where: z .> 88.3)
        z = z.replacing(with: -87.3, where: z .< -87.3)
        store8(x / (1 + expInRange(z)), out + i)
        i = i &+ 8
    }
    while i < count {
        let x = inp[i]
        var z = geluMinusTwoScale * (x + 0.044715 * x * x * x)
        z = z > 88.3 ? 88.3 : z
        z = z < -87.3 ? -87.3 : z
        out[i] = x / (1 + expInRange(z))
        i = i &+ 1
    }
}

/// GELU backward: `dinp += gelu'(inp) · dout`.
/// - Parameters:
///   - dinp: (count) (+=).  - dout: (count).  - inp: (count) the forward input.
public func geluBackward(dinp: UnsafeMutablePointer<Float>,  // (count)
                         dout: UnsafePointer<Float>,         // (count)
                         inp: UnsafePointer<Float>,          // (count)
                         count: Int) {
    // in the forward pass this was: out = 0.5 * x * (1 + tanh(u)), u = s * (x + 0.044715 x³)
    // so gelu'(x) = 0.5 * (1 + tanh(u)) + 0.5 * x * (1 − tanh²(u)) * s * (1 + 3 * 0.044715 x²)
    var i = 0
    while i &+ 8 <= count {
        let x = load8(inp + i)
        let x2: SIMD8<Float> = x * x
        let u: SIMD8<Float> = geluScale * (x + 0.044715 * x2 * x)
        let t = fastTanh(u)
        let sech2: SIMD8<Float> = 1 - t * t
        let du: SIMD8<Float> = geluScale * (1 + 3 * 0.044715 * x2)
        let local: SIMD8<Float> = 0.5 * (1 + t) + 0.5 * x * sech2 * du
        store8(load8(dinp + i) + local * load8(dout + i), dinp + i)
        i = i &+ 8
    }
    while i < count {
        let x = inp[i]
        let t = fastTanh(geluScale * (x + 0.044715 * x * x * x))
        let local = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * geluScale * (1 + 3 * 0.044715 * x * x)
        dinp[i] += local * dout[i]
        i = i &+ 1
    }
}
