import Foundation

/// What varies between the segments of one subject: the state of the day (heart rate,
/// pressure, breathing), electrode contact and noise, plus the random phases of the slow
/// oscillations. Drawn from the segment's own random stream.
struct SegmentConditions: Sendable {
    /// Mean RR interval of this segment, s.
    var rr: Double
    /// Systolic pressure of this segment, mmHg.
    var systolic: Double
    var respiration: Respiration
    /// Frequencies (Hz), phases and amplitude (s) of the three low-frequency RR oscillators.
    var lfFrequencies: [Double]
    var lfPhases: [Double]
    /// Gain of the ECG lead (electrode placement) and a scale on both noise levels.
    var ecgGain: Double
    var noiseScale: Double
    /// Phases of the AF f-waves and of the PPG's slow vasomotor drift.
    var fWavePhases: (Double, Double)
    var vasomotorPhase: Double

    /// Draws the conditions of one segment of a subject with physiology `p`.
    static func draw(_ p: Physiology, _ rng: inout SynthRandom) -> SegmentConditions {
        let hr = p.heartRate * rng.normal(1, 0.04, in: 0.85...1.15)
        return SegmentConditions(
            rr: 60 / hr,
            systolic: p.systolic + rng.normal(0, 5),
            respiration: Respiration(rate: p.respirationRate * rng.normal(1, 0.08, in: 0.75...1.25),
                                     phase: rng.uniform(0, 2 * .pi), driftPhase: rng.uniform(0, 2 * .pi)),
            lfFrequencies: (0..<3).map { _ in rng.uniform(0.06, 0.14) },
            lfPhases: (0..<3).map { _ in rng.uniform(0, 2 * .pi) },
            ecgGain: exp(rng.normal(0, 0.05)),
            noiseScale: exp(rng.normal(0, 0.3)),
            fWavePhases: (rng.uniform(0, 2 * .pi), rng.uniform(0, 2 * .pi)),
            vasomotorPhase: rng.uniform(0, 2 * .pi))
    }

    /// The sinus RR interval due at time `t` (s): mean, minus respiratory sinus arrhythmia
    /// (shorter RR on inspiration), plus the low-frequency (Mayer-wave) oscillation.
    func sinusRR(at t: Double, _ p: Physiology) -> Double {
        var lf = 0.0
        for j in 0..<3 { lf += sin(2 * .pi * lfFrequencies[j] * t + lfPhases[j]) }
        return rr - p.rsaAmplitude * respiration.value(at: t - 0.3) + p.lfAmplitude * (2.0 / 3).squareRoot() * lf
    }
}
