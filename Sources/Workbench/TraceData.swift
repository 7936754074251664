import Store

/// The current segment's samples and beat analysis, as drawn in the Traces pane.
public struct TraceData: Sendable, Equatable {
    /// Heart and pulse rates further apart than this (bpm) are marked as disagreeing: one
    /// detector is probably wrong (doubled R-peaks on noisy ECG, missed pulses).
    public static let rateDisagreement = 10.0

    /// The segment's index in the store.
    public var index: Int
    /// (1250,) samples each at 125 Hz, as stored (NaN where absent).
    public var ecg: [Float]
    public var ppg: [Float]
    /// Sample indices of the ECG R-peaks and PPG systolic peaks.
    public var rPeaks: [Int]
    public var ppgPeaks: [Int]
    /// Heart rate from the R-peaks (bpm), nil when too few beats.
    public var heartRate: Double?
    /// Pulse rate from the PPG systolic peaks (bpm), nil when too few pulses.
    public var pulseRate: Double?
    /// Median pulse arrival time (s), nil when it cannot be measured.
    public var pulseArrival: Double?
    public var ecgQuality: QualityFlags
    public var ppgQuality: QualityFlags

    /// True when both rates are known and differ by more than `rateDisagreement`.
    public var ratesDisagree: Bool {
        guard let h = heartRate, let p = pulseRate else { return false }
        return abs(h - p) > Self.rateDisagreement
    }

    public init(index: Int, ecg: [Float], ppg: [Float], rPeaks: [Int], ppgPeaks: [Int], heartRate: Double?,
                pulseRate: Double? = nil, pulseArrival: Double?, ecgQuality: QualityFlags = [], ppgQuality: QualityFlags = []) {
        self.index = index; self.ecg = ecg; self.ppg = ppg; self.rPeaks = rPeaks; self.ppgPeaks = ppgPeaks
        self.heartRate = heartRate; self.pulseRate = pulseRate; self.pulseArrival = pulseArrival
        self.ecgQuality = ecgQuality; self.ppgQuality = ppgQuality
    }
}
