// MARK: - L2 normalisation (the fingerprint's last step)

/// The smallest norm L2 normalisation divides by (PyTorch `F.normalize`'s default eps).
public let l2NormEpsilon: Float = 1e-12

/// L2-normalisation forward: `out[b] = inp[b] / max(‖inp[b]‖, eps)`, saving the divisor.
/// - Parameters:
///   - out: (B, C).  - norm: (B) saved `max(‖inp[b]‖, eps)`.  - inp: (B, C).
public func l2NormForward(out: UnsafeMutablePointer<Float>,   // (B, C)
                          norm: UnsafeMutablePointer<Float>,  // (B)
                          inp: UnsafePointer<Float>,          // (B, C)
                          B: Int, C: Int) {
    for b in 0..<B {
        let x = inp + b &* C
        let sq = reduceDot(x, x, C)
        let n = max(sq.squareRoot(), l2NormEpsilon)
        norm[b] = n
        let inv = 1 / n
        let y = out + b &* C
        for i in 0..<C { y[i] = x[i] * inv }
    }
}

/// L2-normalisation backward: `dinp += (dout − out·(out·dout)) / norm` (or `dout / eps`
/// where the norm was clamped to eps, as PyTorch's `clamp_min` does).
/// - Parameters:
///   - dinp: (B, C) (+=).  - dout: (B, C).  - out: (B, C) the forward output.
///   - norm: (B) saved by the forward pass.
public func l2NormBackward(dinp: UnsafeMutablePointer<Float>,  // (B, C)
                           dout: UnsafePointer<Float>,         // (B, C)
                           out: UnsafePointer<Float>,          // (B, C)
                           norm: UnsafePointer<Float>,         // (B)
                           B: Int, C: Int) {
    // in the forward pass this was: out = inp / max(‖inp‖, eps)
    for b in 0..<B {
        let y = out + b &* C
        let dy = dout + b &* C
        let dx = dinp + b &* C
        let inv = 1 / norm[b]
        if norm[b] <= l2NormEpsilon {
            for i in 0..<C { dx[i] += dy[i] * inv }
            continue
        }
        let dot = reduceDot(y, dy, C)
        for i in 0..<C { dx[i] += (dy[i] - y[i] * dot) * inv }
    }
}
