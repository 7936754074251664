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
}
