import Foundation

/// Adds Gaussian waves into a sampled buffer, touching only the samples within ±4σ.
enum _Wave {
    /// Adds `amplitude·exp(−(t−centre)²/2σ²)` (σ = `sigmaBefore` left of the centre and
    /// `sigmaAfter` right of it) to `buffer[i]` at t = `t0 + i/rate`.
    /// - Complexity: O(σ·rate) per call.
    static func add(_ buffer: inout [Double], t0: Double, rate: Double, centre: Double,
                    sigmaBefore: Double, sigmaAfter: Double, amplitude: Double) {
        let n = buffer.count
        let lo = max(0, Int(((centre - 4 * sigmaBefore - t0) * rate).rounded(.up)))
        let hi = min(n - 1, Int(((centre + 4 * sigmaAfter - t0) * rate).rounded(.down)))
        guard lo <= hi, amplitude != 0 else { return }
        // g(t+h) = g(t)·r, r(t+h) = r(t)·q with q = e^{−h²/σ²}: a Gaussian sampled on a grid
        // is a geometric sequence of geometric ratios, so each side costs three exps.
        let h = 1 / rate
        let split = min(max(lo, Int(((centre - t0) * rate).rounded(.up))), hi + 1)
        for (from, to, sigma) in [(lo, split, sigmaBefore), (split, hi + 1, sigmaAfter)] where from < to {
            let d0 = t0 + Double(from) * h - centre
            let inv2 = 1 / (2 * sigma * sigma)
            var g = amplitude * exp(-d0 * d0 * inv2)
            var r = exp(-(2 * d0 * h + h * h) * inv2)
            let q = exp(-2 * h * h * inv2)
            for i in from..<to {
                buffer[i] += g
                g *= r
                r *= q
            }
        }
    }

    /// A symmetric Gaussian wave (σ on both sides).
    @inline(__always)
    static func add(_ buffer: inout [Double], t0: Double, rate: Double, centre: Double, sigma: Double, amplitude: Double) {
        add(&buffer, t0: t0, rate: rate, centre: centre, sigmaBefore: sigma, sigmaAfter: sigma, amplitude: amplitude)
    }
}
