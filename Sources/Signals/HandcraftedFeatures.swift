import Foundation

/// The hand-crafted feature vector of one paired segment: the evaluation baseline beside the
/// model's fingerprints, and the numbers the workbench shows for a segment.
///
/// A feature that cannot be computed (modality absent or flat, too few beats, wave not found)
/// is NaN; computing never traps, whatever the input.
public struct HandcraftedFeatures: Sendable, Equatable {
    /// Feature names, in vector order (units in the suffix).
    public static let names: [String] = [
        "hr_ecg_bpm", "hr_ppg_bpm",
        "sdnn_ms", "rmssd_ms", "pnn50_pct", "rr_cv",
        "qrs_ms", "qt_ms", "qtc_ms", "st_level_rel", "t_amplitude_rel",
        "pat_foot_ms", "pat_peak_ms",
        "ppg_rise_ms", "ppg_reflection_index", "ppg_peak_to_diastolic_ms", "ppg_sdppg_b_a",
        "ppg_half_width_ms", "pulse_amplitude_cv",
    ]

    /// One-line descriptions, aligned with ``names``.
    public static let descriptions: [String] = [
        "heart rate from ECG R-peaks (60 / median RR)",
        "pulse rate from PPG systolic peaks (60 / median interval)",
        "SD of RR intervals (needs ≥ \(minimumIntervals) intervals)",
        "root mean square of successive RR differences",
        "share of successive RR differences over 50 ms, percent",
        "RR coefficient of variation (SD / mean): irregularity, e.g. atrial fibrillation",
        "QRS duration on the median beat",
        "QT interval (QRS onset to T end, tangent method)",
        "QT corrected for rate, Bazett: QT / √RR",
        "ST level 60 ms after J over R amplitude",
        "T-wave peak over R amplitude (negative: inverted T)",
        "pulse arrival time, R-peak to PPG foot (median)",
        "R-peak to PPG systolic peak (median)",
        "PPG foot to systolic peak (median)",
        "diastolic over systolic height (reflection / finger augmentation index)",
        "systolic peak to diastolic point",
        "second-derivative b/a ratio (arterial ageing)",
        "pulse width at half height",
        "pulse height coefficient of variation (SD / mean)",
    ]

    /// Fewest RR intervals for the HRV features (SDNN, RMSSD, pNN50, RR CV).
    public static let minimumIntervals = 4

    /// The values, aligned with ``names`` `(names.count)`; NaN where not computable.
    public var values: [Float]

    // MARK: - API

    /// Wraps a value vector (one value per name).
    public init(values: [Float]) {
        precondition(values.count == Self.names.count, "HandcraftedFeatures: \(values.count) values for \(Self.names.count) names")
        self.values = values
    }

    /// The value of the named feature; nil for an unknown name.
    public subscript(name: String) -> Float? {
        Self.names.firstIndex(of: name).map { values[$0] }
    }

    /// Computes every feature of one segment; either modality may be empty or all NaN.
    ///
    /// - Parameters:
    ///   - ecg: ECG samples `(n)` (one lead), any unit.
    ///   - ppg: PPG samples `(n)` on the same time base, any unit.
    ///   - rate: sampling rate of both, Hz.
    public static func compute(ecg: [Float], ppg: [Float], rate: Double) -> HandcraftedFeatures {
        var v = [String: Double]()
        let rPeaks = ecg.isEmpty ? [] : RPeakDetector.detect(ecg, rate: rate)
        let pulse = ppg.isEmpty ? PulseFiducials.empty : PulseDetector.detect(ppg, rate: rate)
        v["hr_ecg_bpm"] = HeartRate.bpm(peaks: rPeaks, rate: rate)
        v["hr_ppg_bpm"] = HeartRate.bpm(peaks: pulse.peaks, rate: rate)

        // Heart-rate variability from consecutive plausible RR intervals.
        let rr = zip(rPeaks.dropFirst(), rPeaks).map { Double($0 - $1) / rate }
        let valid = rr.filter { HeartRate.plausibleInterval.contains($0) }
        if valid.count >= minimumIntervals {
            v["sdnn_ms"] = 1000 * SignalMath.sampleStd(valid)
            v["rr_cv"] = SignalMath.sampleStd(valid) / SignalMath.mean(valid)
            let diffs = zip(rr.dropFirst(), rr).compactMap { b, a -> Double? in
                HeartRate.plausibleInterval.contains(a) && HeartRate.plausibleInterval.contains(b) ? b - a : nil
            }
            if !diffs.isEmpty {
                v["rmssd_ms"] = 1000 * SignalMath.mean(diffs.map { $0 * $0 }).squareRoot()
                v["pnn50_pct"] = 100 * Double(diffs.filter { abs($0) > 0.05 }.count) / Double(diffs.count)
            }
        }

        // ECG morphology on the median beat.
        let ecgShape = ECGMorphology.measure(ecg, rPeaks: rPeaks, rate: rate)
        v["qrs_ms"] = 1000 * ecgShape.qrs
        v["qt_ms"] = 1000 * ecgShape.qt
        if !valid.isEmpty { v["qtc_ms"] = 1000 * ecgShape.qt / SignalMath.median(valid).squareRoot() }
        v["st_level_rel"] = ecgShape.stLevel
        v["t_amplitude_rel"] = ecgShape.tAmplitude

        // Pulse arrival.
        let foot = PulseArrival.seconds(rPeaks: rPeaks, pulse: pulse, rate: rate, point: .onset)
        let peak = PulseArrival.seconds(rPeaks: rPeaks, pulse: pulse, rate: rate, point: .peak)
        if !foot.isEmpty { v["pat_foot_ms"] = 1000 * SignalMath.median(foot) }
        if !peak.isEmpty { v["pat_peak_ms"] = 1000 * SignalMath.median(peak) }

        // PPG morphology.
        let ppgShape = PulseMorphology.measure(ppg, pulse: pulse, rate: rate)
        v["ppg_rise_ms"] = 1000 * ppgShape.riseTime
        v["ppg_reflection_index"] = ppgShape.reflectionIndex
        v["ppg_peak_to_diastolic_ms"] = 1000 * ppgShape.peakToDiastolic
        v["ppg_sdppg_b_a"] = ppgShape.secondDerivativeBA
        v["ppg_half_width_ms"] = 1000 * ppgShape.halfWidth
        v["pulse_amplitude_cv"] = ppgShape.amplitudeVariation

        return HandcraftedFeatures(values: names.map { name in
            guard let value = v[name], value.isFinite else { return .nan }
            return Float(value)
        })
    }
}
