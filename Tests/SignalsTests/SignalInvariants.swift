import Foundation
@testable import Signals

// MARK: - The documented output contract of every public detector, checked on one input

/// Runs every public detector, the morphology measurements, ``HandcraftedFeatures/compute``,
/// ``Preprocessing/prepare`` and the band-pass on one input and lists each broken promise
/// (an empty list: all kept). A trap is not caught: it ends the test run, which is the point.
enum SignalInvariants {
    /// The violations found on `x` at `rate`, each a readable line.
    static func violations(_ x: [Float], rate: Double) -> [String] {
        var bad: [String] = []
        let n = x.count
        func check(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { bad.append(what()) } }
        func finiteOrNaN(_ v: Double) -> Bool { v.isFinite || v.isNaN }

        // R-peaks: ascending, unique, inside the signal.
        let r = RPeakDetector.detect(x, rate: rate)
        check(zip(r, r.dropFirst()).allSatisfy { $0 < $1 }, "R-peaks not strictly ascending: \(r.prefix(20))")
        check(r.allSatisfy { (0..<n).contains($0) }, "R-peak outside 0..<\(n): \(r.filter { !(0..<n).contains($0) }.prefix(5))")

        // PPG fiducials: aligned, peaks ascending and unique, every foot before or at its peak.
        let p = PulseDetector.detect(x, rate: rate)
        check(p.peaks.count == p.onsets.count, "pulse peaks \(p.peaks.count) vs onsets \(p.onsets.count)")
        check(zip(p.peaks, p.peaks.dropFirst()).allSatisfy { $0 < $1 }, "pulse peaks not strictly ascending: \(p.peaks.prefix(20))")
        check(zip(p.onsets, p.onsets.dropFirst()).allSatisfy { $0 <= $1 }, "pulse feet not ascending: \(p.onsets.prefix(20))")
        check(zip(p.onsets, p.peaks).allSatisfy { $0 <= $1 }, "a pulse foot after its peak")
        check((p.peaks + p.onsets).allSatisfy { (0..<n).contains($0) }, "pulse fiducial outside 0..<\(n)")

        // Rates: nil or within the plausible 25–300 bpm.
        for (what, beats) in [("R-peaks", r), ("pulse peaks", p.peaks)] {
            if let bpm = HeartRate.bpm(peaks: beats, rate: rate) {
                check((25...300).contains(bpm), "\(what) rate \(bpm) bpm outside 25–300")
            }
        }

        // Pulse arrival: finite delays, feet inside their window.
        let foot = PulseArrival.seconds(rPeaks: r, pulse: p, rate: rate, point: .onset)
        let peak = PulseArrival.seconds(rPeaks: r, pulse: p, rate: rate, point: .peak)
        check(foot.allSatisfy { PulseArrival.footWindow.contains($0) }, "foot delay outside \(PulseArrival.footWindow)")
        check(peak.allSatisfy(\.isFinite), "non-finite peak delay")

        // Morphology: every value finite or NaN, durations within their plausible ranges.
        let e = ECGMorphology.measure(x, rPeaks: r, rate: rate)
        check([e.qrs, e.qt, e.stLevel, e.tAmplitude, e.consistency].allSatisfy(finiteOrNaN), "ECG morphology has ±inf: \(e)")
        check(e.qrs.isNaN || ECGMorphology.plausibleQRS.contains(e.qrs), "QRS \(e.qrs) s outside its range")
        check(e.qt.isNaN || ECGMorphology.plausibleQT.contains(e.qt), "QT \(e.qt) s outside its range")
        let m = PulseMorphology.measure(x, pulse: p, rate: rate)
        check([m.riseTime, m.reflectionIndex, m.peakToDiastolic, m.secondDerivativeBA, m.halfWidth,
               m.amplitudeVariation, m.consistency].allSatisfy(finiteOrNaN), "pulse morphology has ±inf: \(m)")

        // Features: 19 values, each finite or NaN; rates in range.
        let f = HandcraftedFeatures.compute(ecg: x, ppg: x, rate: rate)
        check(f.values.count == HandcraftedFeatures.names.count, "\(f.values.count) feature values")
        for (name, v) in zip(HandcraftedFeatures.names, f.values) where !(v.isFinite || v.isNaN) {
            bad.append("feature \(name) = \(v)")
        }
        for name in ["hr_ecg_bpm", "hr_ppg_bpm"] {
            if let v = f[name], !v.isNaN { check((25...300).contains(v), "\(name) = \(v)") }
        }

        // Model input: same length, finite, and either all zeros (flat, missing) or z-scored.
        for modality in [Modality.ecg, .ppg] {
            let y = Preprocessing.prepare(x, modality: modality, rate: rate)
            check(y.count == n, "prepare(\(modality)) returned \(y.count) of \(n) samples")
            check(y.allSatisfy(\.isFinite), "prepare(\(modality)) has non-finite samples")
            if n > 1, y.contains(where: { $0 != 0 }) {
                let d = y.map(Double.init)
                let mean = SignalMath.mean(d), sd = SignalMath.std(d)
                check(abs(mean) < 1e-3 && abs(sd - 1) < 1e-3, "prepare(\(modality)): mean \(mean), SD \(sd)")
            }
        }

        // Band-pass: same length, NaN exactly where the input was not finite, never ±inf.
        let b = Filters.bandpass(x, rate: rate, low: 0.5, high: 40)
        check(b.count == n, "bandpass returned \(b.count) of \(n) samples")
        check(zip(x, b).allSatisfy { $0.isFinite != $1.isNaN }, "bandpass NaN where the input was finite, or the reverse")
        check(b.allSatisfy { !$0.isInfinite }, "bandpass produced ±inf")
        return bad
    }
}
