import Foundation

/// Pulse-wave shape measured on a PPG recording: rise time, reflection, second-derivative
/// ratio, width and amplitude variability.
///
/// The PPG is band-passed (0.5–8 Hz); pulses are cut from 0.1 s before each foot to 0.9 of
/// the median pulse interval after it (at most 1.2 s) and the sample-wise median pulse is
/// measured:
/// - rise time: median over pulses of foot → systolic peak;
/// - diastolic point: the first local maximum after the dicrotic notch in the median pulse,
///   between 0.05 s after the systolic peak and the pulse's trough, or, where none shows (stiff
///   arteries, fast rates), the shoulder: the first local maximum of the slope after the
///   steepest descent;
/// - reflection index: diastolic height / systolic height (both above the foot); the finger-PPG
///   "augmentation index" (late over early systolic height) is this same ratio, so one is kept;
/// - second-derivative ratio b/a (Takazawa's ageing index): `a` the first maximum of the second
///   derivative on the upstroke, `b` the minimum that follows before the systolic peak;
/// - width at half the systolic height;
/// - amplitude variability: coefficient of variation of the pulse heights (systolic peak over
///   the trough before it) over the pulses.
public struct PulseMorphology: Sendable, Equatable {
    /// Foot to systolic peak, seconds (median over pulses).
    public var riseTime: Double
    /// Diastolic-point height over systolic height, both from the foot.
    public var reflectionIndex: Double
    /// Time from the systolic peak to the diastolic point, seconds.
    public var peakToDiastolic: Double
    /// Second-derivative b/a ratio (negative; closer to 0 with arterial ageing).
    public var secondDerivativeBA: Double
    /// Pulse width at half height, seconds.
    public var halfWidth: Double
    /// Coefficient of variation of the pulse heights (SD / mean).
    public var amplitudeVariation: Double
    /// Median correlation of the pulses with the median pulse (0…1).
    public var consistency: Double

    /// All NaN: nothing measurable.
    public static let unmeasurable = PulseMorphology(riseTime: .nan, reflectionIndex: .nan, peakToDiastolic: .nan,
                                                     secondDerivativeBA: .nan, halfWidth: .nan,
                                                     amplitudeVariation: .nan, consistency: .nan)

    // MARK: - API

    /// Creates a morphology from its measurements.
    public init(riseTime: Double, reflectionIndex: Double, peakToDiastolic: Double, secondDerivativeBA: Double,
                halfWidth: Double, amplitudeVariation: Double, consistency: Double) {
        self.riseTime = riseTime; self.reflectionIndex = reflectionIndex; self.peakToDiastolic = peakToDiastolic
        self.secondDerivativeBA = secondDerivativeBA; self.halfWidth = halfWidth
        self.amplitudeVariation = amplitudeVariation; self.consistency = consistency
    }

    /// Measures the pulses of `ppg` at the given fiducials.
    ///
    /// - Parameters:
    ///   - ppg: samples `(n)`, NaN where missing.
    ///   - pulse: fiducials from ``PulseDetector``.
    ///   - rate: sampling rate in Hz.
    public static func measure(_ ppg: [Float], pulse: PulseFiducials, rate: Double) -> PulseMorphology {
        guard rate > 0, !pulse.peaks.isEmpty, let filled = SignalMath.fillGaps(ppg.map(Double.init)) else { return .unmeasurable }
        let sections = Filters.butterworth(rate: rate, low: 0.5, high: min(8, 0.45 * rate), order: 2)
        let x = sections.isEmpty ? filled : Filters.filtfilt(sections, filled)
        let rises = zip(pulse.peaks, pulse.onsets).map { Double($0 - $1) / rate }.filter { $0 > 0 }
        // Height: systolic peak over the trough before it (within 0.25 s before the foot).
        let reach = Int(0.25 * rate)
        let heights = zip(pulse.peaks, pulse.onsets).compactMap { p, o -> Double? in
            SignalMath.argmin(x, in: max(0, o - reach)..<(p + 1)).map { x[p] - x[$0] }
        }.filter { $0 > 0 }
        let meanHeight = SignalMath.mean(heights)
        let variation = heights.count >= 3 && meanHeight > 0 ? SignalMath.sampleStd(heights) / meanHeight : .nan
        let pp = HeartRate.intervals(peaks: pulse.peaks, rate: rate)
        let period = pp.isEmpty ? 1.0 : SignalMath.median(pp)
        let before = Int((0.1 * rate).rounded())
        let after = Int((min(1.2, 0.9 * period) * rate).rounded())
        guard let beat = BeatTemplate(x, anchors: pulse.onsets, before: before, after: after) else { return .unmeasurable }
        var m = shape(beat, rate: rate)
        m.riseTime = rises.isEmpty ? .nan : SignalMath.median(rises)
        m.amplitudeVariation = variation
        return m
    }

    // MARK: - Internal API

    /// Reflection, b/a and width from the median pulse (rise time and variation left NaN).
    static func shape(_ beat: BeatTemplate, rate: Double) -> PulseMorphology {
        var out = PulseMorphology.unmeasurable
        out.consistency = beat.consistency
        let y = beat.samples, foot = beat.before
        guard let peak = SignalMath.argmax(y, in: foot..<min(y.count, foot + Int(0.6 * rate))), peak > foot else { return out }
        let base = y[foot], height = y[peak] - base
        guard height > 0 else { return out }
        // Width at half height.
        let half = base + height / 2
        var up = peak, down = peak
        while up > 0 && y[up] > half { up -= 1 }
        while down < y.count - 1 && y[down] > half { down += 1 }
        if up > 0 && down < y.count - 1 { out.halfWidth = Double(down - up) / rate }
        // Diastolic point, between 0.05 s after the systolic peak and the trough that ends the
        // pulse: a local maximum after the notch, else the shoulder (first local maximum of the
        // slope after the steepest descent).
        let d1 = SignalMath.derivative(y)
        let start = peak + max(1, Int((0.05 * rate).rounded()))
        if start < y.count - 2, let trough = SignalMath.argmin(y, in: start..<(y.count - 1)), trough > start + 1 {
            var diastolic: Int?
            var sawNotch = false
            for i in start..<trough {
                if d1[i - 1] < 0 && d1[i] >= 0 { sawNotch = true }
                if sawNotch && d1[i - 1] > 0 && d1[i] <= 0 { diastolic = i; break }
            }
            if diastolic == nil, let steep = SignalMath.argmin(d1, in: start..<trough) {
                diastolic = ((steep + 1)..<trough).first { d1[$0] >= d1[$0 - 1] && d1[$0] > d1[$0 + 1] }
            }
            if let dia = diastolic, y[dia] > base {
                out.reflectionIndex = (y[dia] - base) / height
                out.peakToDiastolic = Double(dia - peak) / rate
            }
        }
        // Second-derivative b/a on the upstroke.
        let d2 = SignalMath.derivative(d1)
        let from = max(0, foot - Int((0.05 * rate).rounded()))
        if let a = SignalMath.argmax(d2, in: from..<peak), d2[a] > 0,
           let b = SignalMath.argmin(d2, in: (a + 1)..<(peak + 1)), d2[b] < 0 {
            out.secondDerivativeBA = d2[b] / d2[a]
        }
        return out
    }
}
