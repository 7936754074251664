import Foundation

/// Adds Gaussian waves into a sampled buffer, touching only the samples within ±4σ.
enum _Wave {
    /// Adds `amplitude·exp(−(t−centre)²/2σ²)` (σ = `sigmaBefore` left of the centre and
    /// `sigmaAfter` right of it) to `buffer[i]` at t = `t0 + i/rate`.
    /// - Complexity: O(σ·rate) per call.
    @inline(__always)
    static func add(_ buffer: inout [Double], t0: Double, rate: Double, centre: Double,
                    sigmaBefore: Double, sigmaAfter: Double, amplitude: Double) {
        let n = buffer.count
        let lo = max(0, Int(((centre - 4 * sigmaBefore - t0) * rate).rounded(.up)))
        let hi = min(n - 1, Int(((centre + 4 * sigmaAfter - t0) * rate).rounded(.down)))
        guard lo <= hi, amplitude != 0 else { return }
        let invB = 1 / sigmaBefore, invA = 1 / sigmaAfter
        for i in lo...hi {
            let d = t0 + Double(i) / rate - centre
            let z = d * (d < 0 ? invB : invA)
            buffer[i] += amplitude * exp(-0.5 * z * z)
        }
    }

    /// A symmetric Gaussian wave (σ on both sides).
    @inline(__always)
    static func add(_ buffer: inout [Double], t0: Double, rate: Double, centre: Double, sigma: Double, amplitude: Double) {
        add(&buffer, t0: t0, rate: rate, centre: centre, sigmaBefore: sigma, sigmaAfter: sigma, amplitude: amplitude)
    }
}
