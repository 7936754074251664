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
        let m = reduceSum(x, C) * invC
        let sq = reduceSquaredDeviation(x, m, C)
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
        var accA = SIMD8<Float>(), accB = SIMD8<Float>()
        let mv = SIMD8<Float>(repeating: m), sv = SIMD8<Float>(repeating: s)
        var i = 0
        while i &+ 8 <= C {
            let norm = (load8(x + i) - mv) * sv
            let dnorm = load8(weight + i) * load8(dy + i)
            accA += dnorm
            accB += dnorm * norm
            i = i &+ 8
        }
        var dnormMean = accA.sum(), dnormNormMean = accB.sum()
        while i < C {
            let dnorm = weight[i] * dy[i]
            dnormMean += dnorm
            dnormNormMean += dnorm * (x[i] - m) * s
            i = i &+ 1
        }
        dnormMean = dnormMean * invC
        dnormNormMean = dnormNormMean * invC
        // explicit lanes: three written and three read buffers are more overlap checks than
        // the auto-vectoriser allows
        let am = SIMD8<Float>(repeating: dnormMean), an = SIMD8<Float>(repeating: dnormNormMean)
        i = 0
        while i &+ 8 <= C {
            let g = load8(dy + i)
            let norm = (load8(x + i) - mv) * sv
            let dnorm = load8(weight + i) * g
            store8(load8(dbias + i) + g, dbias + i)
            store8(load8(dweight + i) + norm * g, dweight + i)
            let delta: SIMD8<Float> = (dnorm - am - norm * an) * sv
            store8(load8(dx + i) + delta, dx + i)
            i = i &+ 8
        }
        while i < C {
            let norm = (x[i] - m) * s
            let dnorm = weight[i] * dy[i]
            dbias[i] += dy[i]
            dweight[i] += norm * dy[i]
            dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s
            i = i &+ 1
        }
    }
}

