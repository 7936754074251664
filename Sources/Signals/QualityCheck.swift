import Foundation

/// The signal-quality check: sets ``QualityFlags`` for one modality of one segment.
///
/// Every rule is relative to the segment itself (units differ between sources: mV, ADC counts,
/// normalised units), with the thresholds below; docs/signals.md explains each choice.
public enum QualityCheck {
    // MARK: - Thresholds

    /// A NaN run at least this long (seconds) sets `.nanRun`.
    public static let maxNaNRunSeconds = 0.25
    /// A NaN share above this fraction of the segment sets `.nanRun` whatever the run lengths.
    public static let maxNaNShare = 0.10
    /// A constant run covering at least this share of the finite samples sets `.flat`.
    public static let flatRunShare = 0.5
    /// Peak-to-peak at or below this fraction of the largest magnitude sets `.flat`.
    public static let flatRange = 1e-6
    /// Samples sitting exactly at the minimum or maximum, in runs of at least
    /// ``clipRunSamples``, covering at least this share of the segment set `.clipped`…
    public static let clipShare = 0.01
    /// …when there are at least ``clipRuns`` such runs at the same extreme.
    public static let clipRuns = 3
    /// Shortest run of equal samples at an extreme that counts towards clipping.
    public static let clipRunSamples = 3
    /// An extreme counts as a rail only at least this fraction of the range from the median.
    public static let clipDistance = 0.3
    /// A step between neighbouring samples of at least this fraction of the peak-to-peak range
    /// is a wrap-around jump; ``wrapJumps`` of them (of both signs) set `.wrapped`.
    public static let wrapStep = 0.7
    /// Number of wrap-around jumps needed, at least one up and one down.
    public static let wrapJumps = 2
    /// Wrap jumps count only when the median step is at most this fraction of the range.
    public static let wrapSmoothness = 0.05
    /// Power above the modality's band (40 Hz ECG, 8 Hz PPG) over the power inside it beyond
    /// which the segment is `.noisy` (broadband noise, EMG, electrode motion).
    public static let maximumOutOfBandPower = 0.5
    /// The beat check (`.noisy`) runs on segments at least this long, seconds.
    public static let minimumNoiseSeconds = 4.0
    /// Detected beats per minute outside this range set `.noisy` (asystole included).
    public static let plausibleBeatsPerMinute = 20.0...250.0
    /// A median beat-to-median-beat correlation below this sets `.noisy` (ECG: ±0.1 s around
    /// R; PPG: 0.05 s before to 0.3 s after the foot).
    public static let minimumBeatCorrelation = 0.6

    // MARK: - API

    /// Assesses one modality of one segment.
    ///
    /// - Parameters:
    ///   - x: samples `(n)`, NaN where missing.
    ///   - rate: sampling rate in Hz.
    /// - Returns: the flags found; `.absent` alone when no sample is finite.
    public static func assess(_ x: [Float], rate: Double, modality: Modality) -> QualityFlags {
        let v = x.map(Double.init)
        let finite = v.filter(\.isFinite)
        guard !finite.isEmpty else { return .absent }
        var flags: QualityFlags = []
        if hasNaNRun(v, rate: rate) { flags.insert(.nanRun) }
        let lo = finite.min()!, hi = finite.max()!
        let range = hi - lo
        let magnitude = max(abs(lo), abs(hi))
        if range <= flatRange * magnitude || longestConstantRun(finite) >= Int(flatRunShare * Double(finite.count)) {
            flags.insert(.flat)
            return flags
        }
        let median = SignalMath.median(finite)
        if isClipped(v, lo: lo, hi: hi, median: median) { flags.insert(.clipped) }
        if isWrapped(v, range: range) { flags.insert(.wrapped) }
        if !flags.contains(.wrapped), !flags.contains(.nanRun), isNoisy(v, rate: rate, modality: modality) {
            flags.insert(.noisy)
        }
        return flags
    }

    // MARK: - Internal API

    static func hasNaNRun(_ v: [Double], rate: Double) -> Bool {
        var run = 0, longest = 0, total = 0
        for s in v {
            if s.isFinite { run = 0 } else { run += 1; total += 1; longest = max(longest, run) }
        }
        return Double(longest) >= maxNaNRunSeconds * rate || Double(total) > maxNaNShare * Double(v.count)
    }

    static func longestConstantRun(_ v: [Double]) -> Int {
        var longest = v.isEmpty ? 0 : 1, run = 1
        for i in v.indices.dropFirst() {
            run = v[i] == v[i - 1] ? run + 1 : 1
            longest = max(longest, run)
        }
        return longest
    }

    static func isClipped(_ v: [Double], lo: Double, hi: Double, median: Double) -> Bool {
        // Only an extreme away from the signal's body can be a rail (a baseline that happens to
        // be the minimum of an all-positive waveform is not).
        for extreme in [lo, hi] where abs(extreme - median) >= clipDistance * (hi - lo) {
            var runs = 0, samples = 0, run = 0
            for s in v + [.nan] {
                if s == extreme { run += 1; continue }
                if run >= clipRunSamples { runs += 1; samples += run }
                run = 0
            }
            if runs >= clipRuns && Double(samples) >= clipShare * Double(v.count) { return true }
        }
        return false
    }

    static func isWrapped(_ v: [Double], range: Double) -> Bool {
        var up = 0, down = 0
        var steps: [Double] = []
        steps.reserveCapacity(v.count)
        for i in v.indices.dropFirst() where v[i].isFinite && v[i - 1].isFinite {
            let step = v[i] - v[i - 1]
            steps.append(abs(step))
            if step >= wrapStep * range { up += 1 } else if step <= -wrapStep * range { down += 1 }
        }
        // Wraps are rare jumps in an otherwise smooth signal; broadband noise jumps everywhere.
        let smooth = SignalMath.median(steps) <= wrapSmoothness * range
        return smooth && up + down >= wrapJumps && up > 0 && down > 0
    }

    /// Beats cannot be found reliably: too few or too many for a heart, too much power above
    /// the band, or beats too unlike each other.
    static func isNoisy(_ v: [Double], rate: Double, modality: Modality) -> Bool {
        let seconds = Double(v.count) / rate
        guard seconds >= minimumNoiseSeconds else { return false }
        let x = v.map(Float.init)
        let beats: [Int]
        let window: (before: Int, after: Int)
        switch modality {
        case .ecg:
            beats = RPeakDetector.detect(x, rate: rate)
            window = (Int(0.1 * rate), Int(0.1 * rate))
        case .ppg:
            beats = PulseDetector.detect(x, rate: rate).onsets
            window = (Int(0.05 * rate), Int(0.3 * rate))
        }
        let bpm = 60 * Double(beats.count) / seconds
        guard plausibleBeatsPerMinute.contains(bpm) else { return true }
        guard let filled = SignalMath.fillGaps(v) else { return true }
        let high = min(Preprocessing.band(for: modality).high, 0.45 * rate)
        let f = Filters.filtfilt(Filters.butterworth(rate: rate, low: 0.5, high: high, order: 2), filled)
        // Broadband noise: more power above the band than a fraction of the power in it.
        let above = Filters.filtfilt(Filters.butterworth(rate: rate, low: high, high: rate, order: 2), filled)
        let inBand = SignalMath.std(f), outOfBand = SignalMath.std(above)
        if outOfBand * outOfBand > maximumOutOfBandPower * inBand * inBand { return true }
        guard let template = BeatTemplate(f, anchors: beats, before: window.before, after: window.after) else { return true }
        return template.consistency < minimumBeatCorrelation
    }
}
