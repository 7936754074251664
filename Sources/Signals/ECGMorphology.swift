import Foundation

/// Wave intervals and levels measured on the median beat of an ECG lead.
///
/// The lead is band-passed (0.5–40 Hz), beats are cut from 0.25 s before to 0.6 s after each
/// R-peak (shortened to 45 % / 95 % of the median RR at fast rates) and the sample-wise median
/// beat is delineated, with R made upright whatever the lead's polarity:
/// - QRS onset and offset: where the sample-to-sample step stays below
///   ``slopeFraction`` of its QRS maximum for ``quietSeconds``, searching out from the R-peak;
/// - baseline: the level at QRS onset (the PR segment);
/// - T peak: the earliest local maximum of the deviation from baseline reaching 70 % of the
///   largest one, from 80 ms after QRS offset to min(0.45 s, 0.6 RR) after R;
/// - T end: the tangent at the steepest return slope on the T wave's descent (from the T peak
///   until the deviation, once below half the T height, stops falling; at most 0.2 s) meets
///   the baseline;
/// - ST level: the level 60 ms after the J point (QRS offset), minus baseline.
/// Every value is NaN when it cannot be measured (no beat, no clear wave, out of range).
public struct ECGMorphology: Sendable, Equatable {
    /// QRS duration, seconds.
    public var qrs: Double
    /// QT interval (QRS onset to T end), seconds.
    public var qt: Double
    /// ST level 60 ms after J over the R amplitude (both from baseline); ischaemia shifts it.
    public var stLevel: Double
    /// T-wave peak over the R amplitude (negative for an inverted T).
    public var tAmplitude: Double
    /// Median correlation of the beats with the median beat (signal consistency, 0…1).
    public var consistency: Double

    /// All NaN: nothing measurable.
    public static let unmeasurable = ECGMorphology(qrs: .nan, qt: .nan, stLevel: .nan, tAmplitude: .nan, consistency: .nan)

    /// Slope threshold for QRS onset and offset, as a fraction of the largest QRS slope.
    public static let slopeFraction = 0.08
    /// How long the slope must stay low to end the QRS, seconds.
    public static let quietSeconds = 0.016
    /// Plausible QRS durations, seconds (outside: NaN).
    public static let plausibleQRS = 0.03...0.25
    /// A T-wave candidate must reach this fraction of the largest deviation in its window.
    public static let majorPeakFraction = 0.7
    /// Plausible QT intervals, seconds (outside: NaN).
    public static let plausibleQT = 0.18...0.7

    // MARK: - API

    /// Creates a morphology from its measurements.
    public init(qrs: Double, qt: Double, stLevel: Double, tAmplitude: Double, consistency: Double) {
        self.qrs = qrs; self.qt = qt; self.stLevel = stLevel; self.tAmplitude = tAmplitude
        self.consistency = consistency
    }

    /// Measures the median beat of `ecg` around the given R-peaks.
    ///
    /// - Parameters:
    ///   - ecg: samples `(n)`, NaN where missing.
    ///   - rPeaks: R-peak indices from ``RPeakDetector``.
    ///   - rate: sampling rate in Hz.
    public static func measure(_ ecg: [Float], rPeaks: [Int], rate: Double) -> ECGMorphology {
        guard SignalMath.isValidRate(rate), !rPeaks.isEmpty, let filled = SignalMath.fillGaps(ecg.map(Double.init)) else { return .unmeasurable }
        let sections = Filters.butterworth(rate: rate, low: 0.5, high: min(40, 0.45 * rate), order: 2)
        let x = sections.isEmpty ? filled : Filters.filtfilt(sections, filled)
        let rr = HeartRate.intervals(peaks: rPeaks, rate: rate)
        let medianRR = rr.isEmpty ? 1.0 : SignalMath.median(rr)
        let before = Int((min(0.25, 0.45 * medianRR) * rate).rounded())
        let after = Int((min(0.6, 0.95 * medianRR) * rate).rounded())
        guard let beat = BeatTemplate(x, anchors: rPeaks, before: before, after: after) else { return .unmeasurable }
        return delineate(beat, rate: rate, rr: medianRR)
    }

    // MARK: - Internal API

    /// The earliest local maximum of `x` in `range` reaching ``majorPeakFraction`` of the
    /// range's maximum (so a later, slightly larger wobble does not beat the T wave).
    static func firstMajorPeak(_ x: [Double], in range: Range<Int>) -> Int? {
        let r = range.clamped(to: 1..<max(1, x.count - 1))
        guard let top = SignalMath.argmax(x, in: r) else { return nil }
        let bar = majorPeakFraction * x[top]
        return r.first { x[$0] >= bar && x[$0] >= x[$0 - 1] && x[$0] >= x[$0 + 1] } ?? top
    }

    /// The T-peak search window: from `tStart` (80 ms after the QRS offset) to R + min(0.45 s,
    /// 0.6 RR), exclusive, inside the beat `(count)`.
    ///
    /// - Returns: nil when the window holds fewer than two samples (fast rhythms, a late QRS
    ///   offset, a short beat), so no range is ever built with its end before its start.
    static func tSearchRange(tStart: Int, r: Int, rr: Double, rate: Double, count: Int) -> Range<Int>? {
        let tLast = min(count - 1, r + Int((min(0.45, 0.6 * rr) * rate).rounded()))
        guard tStart >= 0, tLast > tStart + 1 else { return nil }
        return tStart..<tLast
    }

    static func delineate(_ beat: BeatTemplate, rate: Double, rr: Double) -> ECGMorphology {
        var y = beat.samples
        let r = beat.before
        // Make R upright: compare the anchor with the level around it.
        let edge = SignalMath.median(Array(y[0..<max(1, r / 3)]))
        if y[r] < edge { y = y.map { -$0 } }
        // step[i] = |y[i+1] − y[i]|: the slope of the segment from sample i to i + 1.
        let step = (0..<(y.count - 1)).map { abs(y[$0 + 1] - y[$0]) }
        let near = max(1, Int(0.06 * rate))
        guard let steepest = SignalMath.argmax(step, in: (r - near)..<(r + near)), step[steepest] > 0 else {
            return ECGMorphology(qrs: .nan, qt: .nan, stLevel: .nan, tAmplitude: .nan, consistency: beat.consistency)
        }
        let threshold = slopeFraction * step[steepest]
        let quiet = max(2, Int((quietSeconds * rate).rounded(.up)))
        // Onset: the first sample, going left from R, with `quiet` calm segments before it.
        var onset: Int?
        var i = r
        while i - quiet >= 0 {
            if (1...quiet).allSatisfy({ step[i - $0] < threshold }) { onset = i; break }
            i -= 1
        }
        // Offset: the first sample, going right from R, with `quiet` calm segments after it.
        var offset: Int?
        i = r
        while i + quiet <= step.count {
            if (0..<quiet).allSatisfy({ step[i + $0] < threshold }) { offset = i; break }
            i += 1
        }
        guard let on = onset, let off = offset else {
            return ECGMorphology(qrs: .nan, qt: .nan, stLevel: .nan, tAmplitude: .nan, consistency: beat.consistency)
        }
        let qrs = Double(off - on) / rate
        let baseline = y[on]
        let amplitude = y[r] - baseline
        let stIndex = off + Int((0.06 * rate).rounded())
        let st = stIndex < y.count && amplitude > 0 ? (y[stIndex] - baseline) / amplitude : .nan
        var qt = Double.nan, tAmp = Double.nan
        let tStart = off + Int((0.08 * rate).rounded())
        if amplitude > 0, let window = tSearchRange(tStart: tStart, r: r, rr: rr, rate: rate, count: y.count) {
            let deviation = y.map { abs($0 - baseline) }
            if let tPeak = firstMajorPeak(deviation, in: window), tPeak > tStart {
                tAmp = (y[tPeak] - baseline) / amplitude
                // Steepest slope back towards baseline on the T wave's own descent: from the
                // T peak until the deviation, once below half the T height, stops falling (at
                // most 0.2 s; wiggles higher up are ridden over), so the next beat's
                // P wave (close behind at fast rates) is never taken for the end of T.
                let d = SignalMath.derivative(y)
                let sign: Double = y[tPeak] > baseline ? -1 : 1
                let limit = min(y.count - 1, tPeak + Int((0.2 * rate).rounded()))
                var descentEnd = tPeak + 1
                while descentEnd < limit && (deviation[descentEnd + 1] < deviation[descentEnd]
                                             || deviation[descentEnd] > 0.5 * deviation[tPeak]) { descentEnd += 1 }
                if let k = SignalMath.argmax(d.map { $0 * sign }, in: tPeak..<(descentEnd + 1)), d[k] * sign > 0 {
                    let tEnd = Double(k) - (y[k] - baseline) / d[k]
                    if tEnd > Double(tPeak) && tEnd < Double(y.count) + 0.05 * rate { qt = (tEnd - Double(on)) / rate }
                }
            }
        }
        return ECGMorphology(
            qrs: plausibleQRS.contains(qrs) ? qrs : .nan,
            qt: plausibleQT.contains(qt) ? qt : .nan,
            stLevel: st, tAmplitude: tAmp, consistency: beat.consistency)
    }
}
