/// Heart (or pulse) rate from beat positions.
public enum HeartRate {
    /// Intervals outside this range (seconds) are ignored: 25–300 bpm.
    public static let plausibleInterval = 0.2...2.4

    // MARK: - API

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
        guard rate > 0 else { return [] }
        return zip(peaks.dropFirst(), peaks).map { Double($0 - $1) / rate }.filter { plausibleInterval.contains($0) }
    }
}
