// MARK: - GELU (tanh approximation)

/// sqrt(2/π), the tanh approximation's scale.
private let geluScale = Float((2.0 / Double.pi).squareRoot())

/// GELU forward, tanh approximation (PyTorch `nn.GELU(approximate="tanh")`):
/// `out = 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³)))`, eight lanes at a time with the
/// vectorised `fastTanh` (`out` may alias `inp`).
/// - Parameters:
///   - out: (count) result.  - inp: (count).  - count: elements (N·C for token rows).
public func geluForward(out: UnsafeMutablePointer<Float>,  // (count)
                        inp: UnsafePointer<Float>,         // (count)
                        count: Int) {
    var i = 0
    while i &+ 8 <= count {
        let x = load8(inp + i)
        let u: SIMD8<Float> = geluScale * (x + 0.044715 * x * x * x)
        store8(0.5 * x * (1 + fastTanh(u)), out + i)
        i = i &+ 8
    }
    while i < count {
        let x = inp[i]
        out[i] = 0.5 * x * (1 + fastTanh(geluScale * (x + 0.044715 * x * x * x)))
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
