import Foundation

/// One segment's breathing: a sinusoid whose rate drifts slowly (frequency modulation).
///
/// `value(at:)` is +1 at full inspiration and −1 at full expiration. It drives respiratory
/// sinus arrhythmia in the RR process, the baseline and amplitude of both signals, and the
/// small respiratory swing of blood pressure (hence of pulse arrival time).
struct Respiration: Sendable {
    /// Mean breathing rate, Hz.
    var rate: Double
    /// Phase at t = 0 and the phase of the slow rate drift.
    var phase: Double
    var driftPhase: Double

    /// Respiration at time `t` (s), in [−1, 1].
    func value(at t: Double) -> Double {
        sin(phase + 2 * .pi * rate * t + 0.8 * sin(2 * .pi * 0.02 * t + driftPhase))
    }

    /// Respiration at `t0 + i/rate` for i in 0..<count, without a `sin` per sample: the slow
    /// rate drift and the breathing phasor are both advanced by rotation (the breathing one by
    /// the per-sample phase step, whose sine and cosine come from short Taylor series since
    /// the step is below 0.05 rad). Equal to `value(at:)` to about 1e-12.
    func trace(from t0: Double, count: Int, rate: Double) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        let w = 2 * Double.pi * 0.02, step = w / rate
        let cd = cos(step), sd = sin(step)
        var s = sin(w * t0 + driftPhase), c = cos(w * t0 + driftPhase)
        let theta0 = phase + 2 * .pi * self.rate * t0 + 0.8 * s
        var ps = sin(theta0), pc = cos(theta0)
        let carrier = 2 * Double.pi * self.rate / rate
        for i in 0..<count {
            out[i] = ps
            let s1 = s * cd + c * sd
            c = c * cd - s * sd
            let delta = carrier + 0.8 * (s1 - s)
            s = s1
            let d2 = delta * delta
            let sinD = delta * (1 - d2 / 6 * (1 - d2 / 20 * (1 - d2 / 42)))
            let cosD = 1 - d2 / 2 * (1 - d2 / 12 * (1 - d2 / 30))
            (ps, pc) = (ps * cosD + pc * sinD, pc * cosD - ps * sinD)
        }
        return out
    }
}
