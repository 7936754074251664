import Foundation
import Testing
@testable import Signals

// MARK: - No trap on any input (issue 2/5, bad input)

@Suite struct RobustnessTests {
    /// The analytics report: ≈4-Hz sines plus noise trapped `HandcraftedFeatures.compute`
    /// (before 86c5828: the T window `tStart..<tLast` with `tLast < tStart`, and a search-back
    /// gap shorter than two refractory periods). These exact inputs trapped those sources.
    @Test func reportedSinusoidalInputsNoLongerTrap() {
        var g = HostileSignals(seed: 4)
        for rate in [125.0, 250, 360] {
            for f in [3.7, 4.0, 4.4, 10, 15, 20] {
                let x = g.signal(rate: rate, seconds: 5) { t, g in sin(2 * .pi * f * t) + 0.2 * g.gaussian() }
                let clean = (0..<Int(10 * rate)).map { Float(sin(2 * .pi * f * Double($0) / rate)) }
                for signal in [x, clean] {
                    let features = HandcraftedFeatures.compute(ecg: signal, ppg: signal, rate: rate)
                    #expect(features.values.allSatisfy { $0.isFinite || $0.isNaN }, "\(f) Hz at \(rate) Hz")
                }
            }
        }
    }

    /// The T-peak window is nil, never an inverted range, when 80 ms after the QRS offset
    /// already lies past R + 0.6 RR (fast rhythm, wide QRS) or past the beat.
    @Test func tWindowIsNilWhenItWouldBeInverted() {
        // R at 31, RR 0.25 s at 125 Hz: the window ends at 31 + 19 = 50; a start at 60 is past it.
        #expect(ECGMorphology.tSearchRange(tStart: 60, r: 31, rr: 0.25, rate: 125, count: 100) == nil)
        #expect(ECGMorphology.tSearchRange(tStart: 49, r: 31, rr: 0.25, rate: 125, count: 100) == nil)
        #expect(ECGMorphology.tSearchRange(tStart: 90, r: 31, rr: 1, rate: 125, count: 100) == nil)
        #expect(ECGMorphology.tSearchRange(tStart: 40, r: 31, rr: 0.25, rate: 125, count: 100) == 40..<50)
        // The whole delineation on such a beat (trapped before 86c5828): 300 bpm with a 100-ms
        // QRS puts J + 80 ms past R + 0.6 RR, so no T wave is searched and QT is NaN.
        var fast = SyntheticBeats()
        fast.seconds = 4
        fast.qrs = 0.1
        fast.qt = 0.15
        fast.tHeight = 0
        fast.rPeaks = stride(from: 0.3, to: 3.7, by: 0.2).map { $0 }
        let m = ECGMorphology.measure(fast.ecg(), rPeaks: fast.rIndices, rate: fast.rate)
        #expect(m.qt.isNaN)
        #expect(m.tAmplitude.isNaN)
        #expect(m.consistency > 0.9)
    }

    /// Quantiles leave NaN out, clamp q, and are NaN only when nothing is left.
    @Test func quantileIgnoresNaNAndClampsQ() {
        #expect(SignalMath.quantile([.nan, 1, .nan, 3], 0.5) == 2)
        #expect(SignalMath.quantile([5], 0.98) == 5)
        #expect(SignalMath.quantile([1, 2, 3], 1.5) == 3)
        #expect(SignalMath.quantile([1, 2, 3], -1) == 1)
        #expect(SignalMath.quantile([1, 2, 3], .nan).isNaN)
        #expect(SignalMath.quantile([], 0.5).isNaN)
        #expect(SignalMath.quantile([.nan, .nan], 0.5).isNaN)
        #expect(SignalMath.median([.infinity, 1, 2]) == 2)
    }

    /// The local threshold of the R-peak detector on empty, one-sample and NaN-holding input.
    @Test func localThresholdSurvivesTinyAndNaNInput() {
        #expect(RPeakDetector.localThreshold([], rate: 125).isEmpty)
        #expect(RPeakDetector.localThreshold([2], rate: 125).map { abs($0 - 0.6) < 1e-12 } == [true])
        let mixed = (0..<1000).map { $0 % 3 == 0 ? Double.nan : Double($0 % 50) }
        let t = RPeakDetector.localThreshold(mixed, rate: 125)
        #expect(t.count == mixed.count)
        #expect(t.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(RPeakDetector.localThreshold([Double](repeating: .nan, count: 300), rate: 125).allSatisfy { $0.isNaN })
    }

    /// Band-pass near Float's limit saturates instead of overflowing; ±inf samples come back NaN.
    @Test func bandpassNeverReturnsInfinity() {
        let edge = (0..<1250).map { $0 % 100 < 50 ? Float.greatestFiniteMagnitude : -.greatestFiniteMagnitude }
        let y = Filters.bandpass(edge, rate: 125, low: 0.5, high: 40)
        #expect(y.allSatisfy { $0.isFinite })
        #expect(y.contains(.greatestFiniteMagnitude))
        let spiked: [Float] = (0..<500).map { $0 == 100 ? .infinity : $0 == 200 ? -.infinity : Float(sin(Double($0) / 9)) }
        let z = Filters.bandpass(spiked, rate: 125, low: 0.5, high: 40)
        #expect(z[100].isNaN && z[200].isNaN)
        #expect(z.enumerated().allSatisfy { $0 == 100 || $0 == 200 || $1.isFinite })
        #expect(Filters.bandpass([Float](repeating: .infinity, count: 300), rate: 125, low: 0.5, high: 40).allSatisfy { $0.isNaN })
    }

    /// Property test: every public detector, the morphologies, the features, `prepare` and the
    /// band-pass keep their documented contract on a few hundred generated hostile inputs.
    @Test func everyDetectorKeepsItsContractOnHostileInputs() {
        let cases = HostileSignals.cases()
        #expect(cases.count > 300)
        var failures: [String] = []
        for c in cases {
            let bad = SignalInvariants.violations(c.samples, rate: c.rate)
            if !bad.isEmpty { failures.append("\(c): \(bad.joined(separator: "; "))") }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) inputs:\n\(failures.prefix(10).joined(separator: "\n"))")
    }
}
