// MARK: - LayerNorm

/// The LayerNorm epsilon (PyTorch's default).
public let layerNormEpsilon: Float = 1e-5

/// LayerNorm forward over the last dimension of every token row, saving mean and 1/std.
/// - Parameters:
///   - out: (N, C) normalised, scaled and shifted rows.
///   - mean: (N) saved for the backward pass.  - rstd: (N) saved `1/sqrt(var + eps)`.
///   - inp: (N, C).  - weight: (C) gain.  - bias: (C) shift.
public func layerNormForward(out: UnsafeMutablePointer<Float>,   // (N, C)
                             mean: UnsafeMutablePointer<Float>,  // (N)
                             rstd: UnsafeMutablePointer<Float>,  // (N)
                             inp: UnsafePointer<Float>,          // (N, C)
                             weight: UnsafePointer<Float>,       // (C)
                             bias: UnsafePointer<Float>,         // (C)
                             N: Int, C: Int) {
    let invC = 1 / Float(C)
    for n in 0..<N {
        // seek to inp[n, :]
        let x = inp + n &* C
        var sum: Float = 0
        for i in 0..<C { sum += x[i] }
        let m = sum * invC
        var sq: Float = 0
        for i in 0..<C {
            let d = x[i] - m
            sq += d * d
        }
        let s = 1 / (sq * invC + layerNormEpsilon).squareRoot()
        let out_n = out + n &* C
        for i in 0..<C { out_n[i] = (x[i] - m) * s * weight[i] + bias[i] }
        mean[n] = m
        rstd[n] = s
    }
}

/// LayerNorm backward: accumulates input, weight and bias gradients.
/// - Parameters:
///   - dinp: (N, C) (+=).  - dweight: (C) (+=).  - dbias: (C) (+=).
///   - dout: (N, C) upstream gradient.  - inp: (N, C) the forward input.
///   - weight: (C).  - mean, rstd: (N) saved by the forward pass.
public func layerNormBackward(dinp: UnsafeMutablePointer<Float>,    // (N, C)
                              dweight: UnsafeMutablePointer<Float>, // (C)
                              dbias: UnsafeMutablePointer<Float>,   // (C)
                              dout: UnsafePointer<Float>,           // (N, C)
                              inp: UnsafePointer<Float>,            // (N, C)
                              weight: UnsafePointer<Float>,         // (C)
                              mean: UnsafePointer<Float>,           // (N)
                              rstd: UnsafePointer<Float>,           // (N)
                              N: Int, C: Int) {
    // in the forward pass this was: out = (inp - mean) * rstd * weight + bias
    let invC = 1 / Float(C)
    for n in 0..<N {
        let x = inp + n &* C
        let dy = dout + n &* C
        let dx = dinp + n &* C
        let m = mean[n], s = rstd[n]
        // two reductions: mean(dnorm) and mean(dnorm * norm), with dnorm = weight * dout
        var dnormMean: Float = 0
        var dnormNormMean: Float = 0
        for i in 0..<C {
            let norm = (x[i] - m) * s
            let dnorm = weight[i] * dy[i]
            dnormMean += dnorm
            dnormNormMean += dnorm * norm
        }
        dnormMean = dnormMean * invC
        dnormNormMean = dnormNormMean * invC
        for i in 0..<C {
            let norm = (x[i] - m) * s
            let dnorm = weight[i] * dy[i]
            dbias[i] += dy[i]
            dweight[i] += norm * dy[i]
            dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
        }
    }
}
