// MARK: - Residual add

/// Residual forward: `out = inp1 + inp2` elementwise (`out` may alias either input).
/// - Parameters:
///   - out: (count).  - inp1: (count).  - inp2: (count).
public func residualForward(out: UnsafeMutablePointer<Float>,  // (count)
                            inp1: UnsafePointer<Float>,        // (count)
                            inp2: UnsafePointer<Float>,        // (count)
                            count: Int) {
    for i in 0..<count { out[i] = inp1[i] + inp2[i] }
}

/// Residual backward: the upstream gradient flows unchanged into both inputs (+=).
/// - Parameters:
///   - dinp1: (count) (+=).  - dinp2: (count) (+=).  - dout: (count).
public func residualBackward(dinp1: UnsafeMutablePointer<Float>,  // (count)
                             dinp2: UnsafeMutablePointer<Float>,  // (count)
                             dout: UnsafePointer<Float>,          // (count)
                             count: Int) {
    // in the forward pass this was: out = inp1 + inp2
    for i in 0..<count {
        dinp1[i] += dout[i]
        dinp2[i] += dout[i]
    }
}
