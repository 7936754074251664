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
    /// Fewer distinct finite values than this set `.flat`: a signal stored with too coarse a
    /// gain (a waveform in whole millivolts) has lost its shape.
    public static let minimumLevels = 16
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
    /// A wrap jump, unwrapped, is at most this many times the larger of its neighbouring steps.
    public static let wrapContinuity = 3.0
    /// A burst of this many steps of at least ``wrapBurstStep`` of the range within
    /// ``wrapBurstSeconds`` is wrap-around too fast to follow (see `hasWrapBursts`).
    public static let wrapBurstSteps = 4
    /// See ``wrapBurstSteps``.
    public static let wrapBurstStep = 0.5
    /// See ``wrapBurstSteps``.
    public static let wrapBurstSeconds = 0.05
    /// A wrap jump is answered by one of the other sign within this many seconds…
    public static let wrapReturnSeconds = 0.5
    /// …for at least this share of the wrap jumps.
    public static let wrapReturnShare = 0.8
    /// Power above the modality's band (40 Hz ECG, 8 Hz PPG) over the power inside it beyond
    /// which the segment is `.noisy` (broadband noise, EMG, electrode motion).
    public static let maximumOutOfBandPower = 0.5
    /// The beat check (`.noisy`) runs on segments at least this long, seconds.
    public static let minimumNoiseSeconds = 4.0
    /// Detected beats per minute outside this range set `.noisy` (asystole included).
    public static let plausibleBeatsPerMinute = 20.0...250.0
    /// A beat interval longer than this many median intervals sets `.noisy` (beats missed).
    public static let maximumGapIntervals = 2.5
    /// An ECG excursion (0.5–40 Hz) beyond this many median R-peak heights sets `.noisy`.
    public static let maximumExcursion = 3.0
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
        // One pass over the samples: the finite values (for the median), the NaN runs, the
        // extremes and the longest run of equal finite values (NaN gaps skipped).
        var finite: [Double] = []
        finite.reserveCapacity(x.count)
        var nanRun = 0, longestNaN = 0, nanCount = 0
        var constantRun = 0, longestConstant = 0
        var lo = Double.infinity, hi = -Double.infinity
        var previous = Double.nan
        for s in x {
            guard s.isFinite else {
                nanRun += 1; nanCount += 1; longestNaN = max(longestNaN, nanRun)
                continue
            }
            nanRun = 0
            let d = Double(s)
            constantRun = d == previous ? constantRun + 1 : 1
            longestConstant = max(longestConstant, constantRun)
            previous = d
            lo = min(lo, d); hi = max(hi, d)
            finite.append(d)
        }
        guard !finite.isEmpty else { return .absent }
        var flags: QualityFlags = []
        if hasNaNRun(longest: longestNaN, total: nanCount, count: x.count, rate: rate) { flags.insert(.nanRun) }
        let range = hi - lo
        let magnitude = max(abs(lo), abs(hi))
        if range <= flatRange * magnitude || longestConstant >= Int(flatRunShare * Double(finite.count))
            || hasFewerLevels(finite, than: minimumLevels) {
            flags.insert(.flat)
            return flags
        }
        if isClipped(x, lo: lo, hi: hi, median: { OrderStatistics.quantile(&finite, 0.5) }) { flags.insert(.clipped) }
        if isWrapped(x, range: range, rate: rate, scratch: &finite) { flags.insert(.wrapped) }
        if !flags.contains(.wrapped), !flags.contains(.nanRun), isNoisy(x, rate: rate, modality: modality) {
            flags.insert(.noisy)
        }
        return flags
    }

    // MARK: - Internal API

    /// A NaN run of at least ``maxNaNRunSeconds`` or a NaN share above ``maxNaNShare``.
    ///
    /// - Parameters:
    ///   - longest: the longest run of non-finite samples; `total`: their number;
    ///     `count`: the segment's sample count.
    static func hasNaNRun(longest: Int, total: Int, count: Int, rate: Double) -> Bool {
        Double(longest) >= maxNaNRunSeconds * rate || Double(total) > maxNaNShare * Double(count)
    }

    /// True when `x` holds fewer than `count` distinct values (stops once it has seen `count`).
    static func hasFewerLevels(_ x: [Double], than count: Int) -> Bool {
        var seen = Set<Double>(minimumCapacity: count)
        for v in x {
            seen.insert(v)
            if seen.count >= count { return false }
        }
        return true
    }

    /// Runs of at least ``clipRunSamples`` samples exactly at a rail extreme, counted for both
    /// extremes in one pass without copying.
    ///
    /// - Parameter median: the median of the finite samples, asked for only when an extreme
    ///   has enough runs (the median costs more than the run count, and most segments have none).
    static func isClipped(_ x: [Float], lo: Double, hi: Double, median: () -> Double) -> Bool {
        var runs = (lo: 0, hi: 0), samples = (lo: 0, hi: 0), run = (lo: 0, hi: 0)
        for s in x {
            let d = Double(s)
            if d == lo { run.lo += 1 } else {
                if run.lo >= clipRunSamples { runs.lo += 1; samples.lo += run.lo }
                run.lo = 0
            }
            if d == hi { run.hi += 1 } else {
                if run.hi >= clipRunSamples { runs.hi += 1; samples.hi += run.hi }
                run.hi = 0
            }
        }
        // The segment's end closes the last runs.
        if run.lo >= clipRunSamples { runs.lo += 1; samples.lo += run.lo }
        if run.hi >= clipRunSamples { runs.hi += 1; samples.hi += run.hi }
        let share = clipShare * Double(x.count)
        let railLo = runs.lo >= clipRuns && Double(samples.lo) >= share
        let railHi = runs.hi >= clipRuns && Double(samples.hi) >= share
        guard railLo || railHi else { return false }
        // Only an extreme away from the signal's body can be a rail (a baseline that happens to
        // be the minimum of an all-positive waveform is not).
        let m = median()
        return (railLo && abs(lo - m) >= clipDistance * (hi - lo))
            || (railHi && abs(hi - m) >= clipDistance * (hi - lo))
    }

    /// Rare jumps of nearly the full range in an otherwise smooth signal: of both signs, each
    /// continuing the signal's slope once the range is added back, the signal coming back across
    /// the rail soon after it left (`returningWraps`); or wrapping several times within a few
    /// samples (`hasWrapBursts`).
    ///
    /// Continuing the slope: the samples on both sides move the same way as the unwrapped jump
    /// (`step ∓ span`, the span taken as the range plus the smaller neighbouring step), by a
    /// similar amount. A one-sample R spike of a sharp QRS at a low rate jumps by most of the
    /// range too, but up then straight back down, so its unwrapped step points against a
    /// neighbour. Coming back: a wrapped signal is beyond the rail only for part of a beat, so
    /// nearly every jump has one of the other sign within ``wrapReturnSeconds``; the QRS
    /// complexes of a lead whose R peaks fall straight to the baseline give jumps of one sign
    /// only, beat after beat.
    ///
    /// - Parameter scratch: any array, reused for the steps (its contents are replaced).
    static func isWrapped(_ x: [Float], range: Double, rate: Double, scratch steps: inout [Double]) -> Bool {
        guard SignalMath.isValidRate(rate) else { return false }
        steps.removeAll(keepingCapacity: true)
        steps.reserveCapacity(x.count)
        // steps (n − 1): x[i + 1] − x[i], NaN where either sample is missing
        for i in x.indices.dropFirst() { steps.append(Double(x[i]) - Double(x[i - 1])) }
        let limit = wrapStep * range
        let unwrapped = { (s: Double) in abs(s) >= limit ? s - (s > 0 ? range : -range) : s }
        // (position, up?) of each jump that continues the slope, in time order
        var jumps: [(at: Int, up: Bool)] = []
        for i in steps.indices.dropFirst().dropLast() where abs(steps[i]) >= limit {
            let before = unwrapped(steps[i - 1]), after = unwrapped(steps[i + 1])
            // The ADC span exceeds the range seen by up to a step on each side of the rail.
            let span = range + min(abs(before), abs(after))
            let u = steps[i] - (steps[i] > 0 ? span : -span)
            guard u * before > 0, u * after > 0, abs(u) <= wrapContinuity * max(abs(before), abs(after)) else { continue }
            jumps.append((i, steps[i] > 0))
        }
        guard returningWraps(jumps, rate: rate) || hasWrapBursts(x, range: range, rate: rate) else { return false }
        // Wraps are rare jumps in an otherwise smooth signal; broadband noise jumps everywhere.
        var count = 0
        for s in steps where s.isFinite { steps[count] = abs(s); count += 1 }
        steps.removeLast(steps.count - count)
        return OrderStatistics.quantile(&steps, 0.5) <= wrapSmoothness * range
    }

    /// At least ``wrapJumps`` wrap jumps (`at`: sample, `up`: sign), of both signs, nearly all
    /// answered by one of the other sign within ``wrapReturnSeconds``.
    static func returningWraps(_ jumps: [(at: Int, up: Bool)], rate: Double) -> Bool {
        guard jumps.count >= wrapJumps, jumps.contains(where: \.up), jumps.contains(where: { !$0.up }) else { return false }
        let reach = max(1, Int(wrapReturnSeconds * rate))
        var returned = 0
        for (k, j) in jumps.enumerated() {
            let back = jumps[..<k].reversed().prefix { j.at - $0.at <= reach }.contains { $0.up != j.up }
            let ahead = jumps[(k + 1)...].prefix { $0.at - j.at <= reach }.contains { $0.up != j.up }
            if back || ahead { returned += 1 }
        }
        return Double(returned) >= wrapReturnShare * Double(jumps.count)
    }

    /// At least ``wrapJumps`` bursts of ``wrapBurstSteps`` or more steps of at least
    /// ``wrapBurstStep`` of the range within ``wrapBurstSeconds``: a signal wrapping around
    /// several times within a few samples (a QRS complex taller than the ADC span), too fast for
    /// ``isWrapped`` to follow. A QRS complex makes at most three such steps (Q→R, R→S, S→base).
    static func hasWrapBursts(_ x: [Float], range: Double, rate: Double) -> Bool {
        let limit = wrapBurstStep * range, span = max(1, Int(wrapBurstSeconds * rate))
        // positions of the large steps, in order; a burst consumes its steps
        var recent: [Int] = []
        var bursts = 0
        for i in x.indices.dropFirst() where abs(Double(x[i]) - Double(x[i - 1])) >= limit {
            recent.removeAll { i - $0 > span }
            recent.append(i)
            if recent.count >= wrapBurstSteps {
                bursts += 1
                recent.removeAll()
                if bursts >= wrapJumps { return true }
            }
        }
        return false
    }

    /// Beats cannot be found reliably: too few or too many for a heart, a stretch where they
    /// were missed, an ECG excursion far beyond the R peaks, too much power above the band, or
    /// beats too unlike each other.
    static func isNoisy(_ x: [Float], rate: Double, modality: Modality) -> Bool {
        guard SignalMath.isValidRate(rate) else { return false }
        let seconds = Double(x.count) / rate
        guard seconds >= minimumNoiseSeconds else { return false }
        guard let filled = SignalMath.fillGaps(x.map(Double.init)) else { return true }
        // The detectors' own band-passed signal (the modality's band) is the one the beats are
        // compared on, so it is filtered once.
        var beats: [Int], f: [Double]
        let window: (before: Int, after: Int)
        switch modality {
        case .ecg:
            (beats, f) = RPeakDetector.detect(filled: filled, rate: rate)
            window = (Int(0.1 * rate), Int(0.1 * rate))
        case .ppg:
            f = Filters.filtfilt(PulseDetector.pulseBand(rate: rate), filled)
            beats = PulseDetector.onsets(filtered: f, reference: filled, rate: rate)
            window = (Int(0.05 * rate), Int(0.3 * rate))
        }
        let bpm = 60 * Double(beats.count) / seconds
        guard plausibleBeatsPerMinute.contains(bpm) else { return true }
        // Beats missed over a stretch: an artefact hid them from the detector.
        let intervals = zip(beats.dropFirst(), beats).map { Double($0 - $1) }
        if let longest = intervals.max(), longest > maximumGapIntervals * SignalMath.median(intervals) { return true }
        // One excursion dwarfing the R peaks (a movement artefact, a device glitch).
        if modality == .ecg {
            let height = SignalMath.median(beats.map { abs(f[$0]) })
            if f.contains(where: { abs($0) > maximumExcursion * height }) { return true }
        }
        let high = min(Preprocessing.band(for: modality).high, 0.45 * rate)
        // Broadband noise: more power above the band than a fraction of the power in it.
        let above = Filters.filtfilt(Filters.butterworth(rate: rate, low: high, high: rate, order: 2), filled)
        let inBand = SignalMath.std(f), outOfBand = SignalMath.std(above)
        if outOfBand * outOfBand > maximumOutOfBandPower * inBand * inBand { return true }
        guard let template = BeatTemplate(f, anchors: beats, before: window.before, after: window.after) else { return true }
        return template.consistency < minimumBeatCorrelation
    }
}
