/// Heart (or pulse) rate from beat positions.
public enum HeartRate {
    /// Intervals outside this range (seconds) are ignored: 25–300 bpm.
    public static let plausibleInterval = 0.2...2.4

    // MARK: - API

    /// The heart rate of one ECG segment: ``RPeakDetector`` beats, then ``bpm(peaks:rate:)``.
    ///
    /// - Parameters:
    ///   - ecg: samples `(n)`, any unit; NaN where missing.
    ///   - rate: sampling rate in Hz.
    /// - Returns: beats per minute, or nil when fewer than two plausible beats are found.
    /// - Complexity: O(n).
    public static func ecg(_ ecg: [Float], rate: Double) -> Double? {
        bpm(peaks: RPeakDetector.detect(ecg, rate: rate), rate: rate)
    }

    /// The pulse rate of one PPG segment: ``PulseDetector`` systolic peaks, then
    /// ``bpm(peaks:rate:)``.
    ///
    /// - Parameters:
    ///   - ppg: samples `(n)`, any unit, pulses pointing up; NaN where missing.
    ///   - rate: sampling rate in Hz.
    /// - Returns: pulses per minute, or nil when fewer than two plausible pulses are found.
    /// - Complexity: O(n).
    public static func ppg(_ ppg: [Float], rate: Double) -> Double? {
        bpm(peaks: PulseDetector.detect(ppg, rate: rate).peaks, rate: rate)
    }

    /// The rate in beats per minute, 60 / median of the plausible beat-to-beat intervals.
    ///
    /// The median keeps one missed or extra beat from moving the rate.
    /// - Returns: nil with fewer than two beats or no plausible interval.
    public static func bpm(peaks: [Int], rate: Double) -> Double? {
        let rr = intervals(peaks: peaks, rate: rate)
        guard !rr.isEmpty else { return nil }
        return 60 / SignalMath.median(rr)
    }

    /// The plausible beat-to-beat intervals in seconds, in order.
    public static func intervals(peaks: [Int], rate: Double) -> [Double] {
        guard SignalMath.isValidRate(rate) else { return [] }
        return zip(peaks.dropFirst(), peaks).map { Double($0 - $1) / rate }.filter { plausibleInterval.contains($0) }
    }
}
