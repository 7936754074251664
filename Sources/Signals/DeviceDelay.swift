/// A recording device's ECG → PPG delay, and the model-input convention that removes it.
///
/// The delay from an R peak to the steepest upstroke of the pulse it causes is the person's
/// pulse arrival plus the device's channel delays: a finger oximeter, a bedside monitor and a
/// wrist sensor differ by 0.1–0.5 s, and nothing in the PPG shows which delay it has. A model
/// that sees several devices hedges where it places the R peaks it rebuilds. So the importer
/// measures each record's delay (`record(_:)`) and stores it with the record, and the model's
/// PPG input is shifted so that every measured record has the same delay, `modelDelay`
/// (`modelInput(_:delay:)`). A rebuilt ECG then lines up with the record's own R peaks, and a
/// rebuilt PPG is shifted back (`recordTime(_:delay:)`) to line up with the recorded PPG.
/// Records without a measured delay (PPG only, generated) are used as they are; for them the
/// rebuilt ECG is timed for `modelDelay`. docs/training.md ("Device delay") has the numbers.
public enum DeviceDelay {
    /// The delay every measured record's PPG is aligned to for the model, seconds: inside the
    /// generator's 0.20–0.33 s, so generated and recorded segments share one timing.
    public static let modelDelay = 0.30
    /// The delays searched, seconds. A pulse cannot reach the periphery sooner than 0.1 s
    /// after its R peak (the pre-ejection period and the transit take longer; the pairing
    /// window of `PulseArrival` starts there too); at a fast heart rate an upstroke earlier
    /// than that belongs to the previous beat. On every device measured it arrives within 0.8 s
    /// (docs/training.md, "Device delay").
    public static let plausible = 0.1...0.8
    /// Fewest R peaks, and beats averaged, a segment needs for its delay to be measured.
    public static let minimumPeaks = 4
    public static let minimumBeats = 3

    // MARK: - API

    /// One segment's delay: the lag of the largest value of the PPG's slope (0.5–8 Hz
    /// band-pass, central difference) averaged over the windows `plausible` after each R peak.
    /// The window does not stop at the next beat: at an exercise heart rate a 0.56-s delay is
    /// longer than 0.9 RR. Where a window holds the next beat's upstroke too, the own beat's is
    /// the sharper in the average (the next one lies an RR interval later, and RR varies), so it
    /// is the larger.
    ///
    /// - Parameters:
    ///   - ecg, ppg: both modalities of one segment, same length, any units; NaN where missing.
    ///   - rate: their sampling rate, Hz.
    /// - Returns: seconds, or nil with fewer than `minimumPeaks` R peaks, fewer than
    ///   `minimumBeats` whole beats, a largest slope at either end of the window (no upstroke
    ///   inside the window: a noisy segment, or R peaks found on the wrong waves).
    /// - Complexity: O(n) for n samples.
    public static func segment(ecg: [Float], ppg: [Float], rate: Double) -> Double? {
        guard SignalMath.isValidRate(rate), ecg.count == ppg.count else { return nil }
        let peaks = RPeakDetector.detect(ecg, rate: rate)
        guard peaks.count >= minimumPeaks, let filled = SignalMath.fillGaps(ppg.map(Double.init)) else { return nil }
        let first = Int((plausible.lowerBound * rate).rounded(.up)), span = Int((plausible.upperBound * rate).rounded(.down))
        guard span - first > 2 else { return nil }
        let (low, high) = Preprocessing.band(for: .ppg)
        let slope = SignalMath.derivative(Filters.filtfilt(Filters.butterworth(rate: rate, low: low, high: high, order: 2), filled))
        var mean = [Double](repeating: 0, count: span), beats = 0
        for r in peaks where r + span <= slope.count {
            for k in first..<span { mean[k] += slope[r + k] }
            beats += 1
        }
        guard beats >= minimumBeats else { return nil }
        var best = first
        for k in first..<span where mean[k] > mean[best] { best = k }
        guard best > first, best < span - 1 else { return nil }
        return Double(best) / rate
    }

    /// A record's delay: the median of its segments' delays (`segment`), nil when none was measured.
    public static func record(_ segmentDelays: [Double]) -> Double? {
        segmentDelays.isEmpty ? nil : SignalMath.median(segmentDelays)
    }

    /// The samples (`shift` > 0) moved `shift` samples earlier, or later when negative; the
    /// samples shifted in mirror the edge, so the length and the local shape are kept.
    /// - Complexity: O(n), whatever `shift`.
    public static func shifted(_ x: [Float], by shift: Int) -> [Float] {
        let n = x.count
        guard n > 1, shift != 0 else { return x }
        // Mirroring at both edges repeats with period 2(n − 1).
        let period = 2 * (n - 1), offset = shift % period
        return (0..<n).map { i in
            var j = (i + offset) % period
            if j < 0 { j += period }
            return x[j < n ? j : period - j]
        }
    }

    /// The shift (samples at `rate`) that moves a PPG of `delay` to `modelDelay`; 0 when the
    /// delay is unknown or outside `plausible` (no measurement gives one; stores refuse them).
    public static func shift(delay: Double?, rate: Double = 125) -> Int {
        guard let delay, plausible.contains(delay), rate.isFinite, rate > 0, rate <= 1e6 else { return 0 }
        return Int(((delay - modelDelay) * rate).rounded())
    }

    /// One modality of one segment as the model sees it: `Preprocessing.prepare`d, and a PPG
    /// then moved to `modelDelay` with the record's measured `delay` (`modelInput`).
    public static func prepared(_ x: [Float], modality: Modality, delay: Double?) -> [Float] {
        let y = Preprocessing.prepare(x, modality: modality)
        return modality == .ppg ? modelInput(y, delay: delay) : y
    }

    /// A prepared PPG segment as the model sees it: moved earlier by `delay − modelDelay`.
    public static func modelInput(_ ppg: [Float], delay: Double?) -> [Float] {
        shifted(ppg, by: shift(delay: delay))
    }

    /// A PPG in the model's timing (its input, or one the model rebuilt) moved back to the
    /// record's own timing: the inverse of `modelInput` away from the edges.
    public static func recordTime(_ ppg: [Float], delay: Double?) -> [Float] {
        shifted(ppg, by: -shift(delay: delay))
    }
}
