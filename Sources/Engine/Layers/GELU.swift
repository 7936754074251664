import Foundation

// MARK: - GELU (tanh approximation)

/// sqrt(2/π), the tanh approximation's scale.
private let geluScale = Float((2.0 / Double.pi).squareRoot())

/// GELU forward, tanh approximation (PyTorch `nn.GELU(approximate="tanh")`):
/// `out = 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³)))`.
/// - Parameters:
///   - out: (count) result.  - inp: (count).  - count: elements (N·C for token rows).
public func geluForward(out: UnsafeMutablePointer<Float>,  // (count)
                        inp: UnsafePointer<Float>,         // (count)
                        count: Int) {
    for i in 0..<count {
        let x = inp[i]
        let cube = 0.044715 * x * x * x
        out[i] = 0.5 * x * (1 + tanh(geluScale * (x + cube)))
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
    for i in 0..<count {
        let x = inp[i]
        let u = geluScale * (x + 0.044715 * x * x * x)
        let t = tanh(u)
        let sech2 = 1 - t * t
        let local = 0.5 * (1 + t) + 0.5 * x * sech2 * geluScale * (1 + 3 * 0.044715 * x * x)
        dinp[i] += local * dout[i]
    }
}
