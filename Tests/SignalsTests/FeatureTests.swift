import Foundation
import Testing
@testable import Signals
import Support

// MARK: - Hand-crafted features on synthetic beats with known answers

@Suite struct FeatureTests {
    @Test func namesAndDescriptionsAlign() {
        #expect(HandcraftedFeatures.names.count == HandcraftedFeatures.descriptions.count)
        #expect(Set(HandcraftedFeatures.names).count == HandcraftedFeatures.names.count)
    }

    @Test func regularBeatsGiveTheirKnownIntervals() throws {
        let beats = SyntheticBeats()                   // RR 0.8 s, QRS 100 ms, QT 400 ms, PAT 250 ms
        let f = HandcraftedFeatures.compute(ecg: beats.ecg(), ppg: beats.ppg(), rate: beats.rate)
        func value(_ name: String) throws -> Double { Double(try #require(f[name])) }
        #expect(abs(try value("hr_ecg_bpm") - 75) < 0.01)
        #expect(abs(try value("hr_ppg_bpm") - 75) < 0.01)
        #expect(try value("sdnn_ms") < 1)
        #expect(try value("rmssd_ms") < 1)
        #expect(try value("pnn50_pct") == 0)
        #expect(abs(try value("qrs_ms") - 100) <= 16)
        #expect(abs(try value("qt_ms") - 400) <= 20)
        #expect(abs(try value("qtc_ms") - 400 / 0.8.squareRoot()) <= 24)
        #expect(abs(try value("st_level_rel")) < 0.05)
        #expect(abs(try value("t_amplitude_rel") - 0.3) < 0.08)
        let foot = 1000 * (beats.pat + beats.tangentFootDelay)
        #expect(abs(try value("pat_foot_ms") - foot) <= 16)
        #expect(abs(try value("pat_peak_ms") - 1000 * (beats.pat + beats.rise)) <= 16)
        #expect(abs(try value("ppg_rise_ms") - 1000 * (beats.rise - beats.tangentFootDelay)) <= 16)
        #expect(try value("pulse_amplitude_cv") < 0.04)
        #expect(try value("ppg_sdppg_b_a") < 0)
        print(zip(HandcraftedFeatures.names, f.values).map { "\($0)=\($1)" }.joined(separator: " "))
    }

    @Test func wideQRSAndLongQTAreMeasured() throws {
        var beats = SyntheticBeats()
        beats.qrs = 0.16
        beats.qt = 0.48
        beats.rate = 250
        let g = HandcraftedFeatures.compute(ecg: beats.ecg(), ppg: beats.ppg(), rate: 250)
        print("wide: qrs \(g["qrs_ms"]!) qt \(g["qt_ms"]!)")
        #expect(abs(Double(try #require(g["qrs_ms"])) - 160) <= 12)
        #expect(abs(Double(try #require(g["qt_ms"])) - 480) <= 16)
    }

    @Test func heartRateVariabilityFromAKnownRRSequence() throws {
        var beats = SyntheticBeats()
        // RR in whole samples at 125 Hz: 100, 110, 95, 105, 100, 120, 90, 100 → exact expectations.
        let rrSamples = [100, 110, 95, 105, 100, 120, 90, 100]
        var t = 0.504
        beats.rPeaks = [t] + rrSamples.map { t += Double($0) / 125; return t }
        let f = HandcraftedFeatures.compute(ecg: beats.ecg(), ppg: [], rate: 125)
        let rr = rrSamples.map { Double($0) / 125 }
        let diffs = zip(rr.dropFirst(), rr).map { $0 - $1 }
        let sdnn = 1000 * SignalMath.sampleStd(rr)
        let rmssd = 1000 * (diffs.map { $0 * $0 }.reduce(0, +) / Double(diffs.count)).squareRoot()
        let pnn50 = 100 * Double(diffs.filter { abs($0) > 0.05 }.count) / Double(diffs.count)
        #expect(abs(Double(try #require(f["sdnn_ms"])) - sdnn) < 0.01)
        #expect(abs(Double(try #require(f["rmssd_ms"])) - rmssd) < 0.01)
        #expect(abs(Double(try #require(f["pnn50_pct"])) - pnn50) < 0.01)
        #expect(abs(Double(try #require(f["rr_cv"])) - sdnn / 1000 / SignalMath.mean(rr)) < 1e-4)
        // No PPG: every PPG and arrival feature is NaN, the ECG ones are not.
        for name in ["hr_ppg_bpm", "pat_foot_ms", "pat_peak_ms", "ppg_rise_ms", "pulse_amplitude_cv"] {
            #expect(try #require(f[name]).isNaN, "\(name)")
        }
        #expect(try #require(f["hr_ecg_bpm"]).isFinite)
    }

    @Test func stElevationAndReflectionRespondInTheRightDirection() throws {
        var raised = SyntheticBeats()
        raised.st = 0.2
        var stiff = SyntheticBeats()
        stiff.diastolic = 0.6
        let normal = HandcraftedFeatures.compute(ecg: SyntheticBeats().ecg(), ppg: SyntheticBeats().ppg(), rate: 125)
        let elevated = HandcraftedFeatures.compute(ecg: raised.ecg(), ppg: raised.ppg(), rate: 125)
        let reflected = HandcraftedFeatures.compute(ecg: stiff.ecg(), ppg: stiff.ppg(), rate: 125)
        #expect(try #require(elevated["st_level_rel"]) > (try #require(normal["st_level_rel"])) + 0.1)
        #expect(try #require(reflected["ppg_reflection_index"]) > (try #require(normal["ppg_reflection_index"])) + 0.1)
    }

    @Test func pulseAlternansRaisesAmplitudeVariability() throws {
        var alternans = SyntheticBeats()
        alternans.alternans = 0.3                     // every other pulse 30 % smaller
        let f = HandcraftedFeatures.compute(ecg: alternans.ecg(), ppg: alternans.ppg(), rate: 125)
        let heights = alternans.rPeaks.indices.map { $0 % 2 == 1 ? 0.7 : 1.0 }
        let expected = SignalMath.sampleStd(heights) / SignalMath.mean(heights)
        #expect(abs(Double(try #require(f["pulse_amplitude_cv"])) - expected) < 0.04)
    }

    @Test func flatMissingAndNoiseNeverTrap() {
        let flat = [Float](repeating: 0.5, count: 1250)
        let nan = [Float](repeating: .nan, count: 1250)
        for (ecg, ppg) in [(flat, flat), (nan, nan), ([], []), (flat, nan), ([Float](), flat)] {
            let f = HandcraftedFeatures.compute(ecg: ecg, ppg: ppg, rate: 125)
            #expect(f.values.count == HandcraftedFeatures.names.count)
            #expect(f.values.allSatisfy { $0.isNaN })
        }
        var rng = SplitMix64(seed: 1)
        let noise: [Float] = (0..<1250).map { _ in Float(rng.uniform()) }
        let f = HandcraftedFeatures.compute(ecg: noise, ppg: noise, rate: 125)
        #expect(f.values.allSatisfy { !$0.isInfinite })
    }
}

// MARK: - Hostile arguments

@Suite struct HostileInputTests {
    static let rates: [Double] = [0, -125, .nan, .infinity, 1e300]

    @Test(arguments: HostileInputTests.rates)
    func nonsenseRatesNeverTrap(rate: Double) {
        let beats = SyntheticBeats()
        let ecg = beats.ecg(), ppg = beats.ppg()
        #expect(Filters.bandpass(ecg, rate: rate, low: 0.5, high: 40) == ecg)
        #expect(Resampler.resample(ecg, from: rate, to: 125) == ecg)
        #expect(Resampler.resample(ecg, from: 125, to: rate) == ecg)
        #expect(Preprocessing.prepare(ecg, modality: .ecg, rate: rate).count == ecg.count)
        #expect(RPeakDetector.detect(ecg, rate: rate).isEmpty)
        #expect(PulseDetector.detect(ppg, rate: rate) == .empty)
        #expect(HeartRate.bpm(peaks: [0, 100, 200], rate: rate) == nil)
        #expect(PulseArrival.seconds(rPeaks: [0, 100], pulse: PulseFiducials(peaks: [40], onsets: [30]), rate: rate).isEmpty)
        _ = QualityCheck.assess(ecg, rate: rate, modality: .ecg)
        #expect(HandcraftedFeatures.compute(ecg: ecg, ppg: ppg, rate: rate).values.allSatisfy { $0.isNaN })
    }

    @Test func fiducialsOutsideTheSignalAreIgnored() {
        let beats = SyntheticBeats()
        let wild = PulseFiducials(peaks: [-5, 3, 400, 9_000, 20_000], onsets: [-9, 10, 380, 8_990, 5])
        let m = PulseMorphology.measure(beats.ppg(), pulse: wild, rate: 125)
        #expect(!m.riseTime.isInfinite)
        let e = ECGMorphology.measure(beats.ecg(), rPeaks: [-100, 5, 99_999], rate: 125)
        #expect(!e.qrs.isInfinite)
    }

    @Test func fastRhythmsAndShortSegmentsNeverTrap() {
        // 200 bpm beats over 2 s, and every length from 0 to 300 samples.
        var fast = SyntheticBeats()
        fast.seconds = 2
        fast.rPeaks = stride(from: 0.1, to: 2, by: 0.3).map { $0 }
        fast.qt = 0.25
        _ = HandcraftedFeatures.compute(ecg: fast.ecg(), ppg: fast.ppg(), rate: 125)
        let long = SyntheticBeats()
        let ecg = long.ecg(), ppg = long.ppg()
        for n in stride(from: 0, through: 300, by: 7) {
            let f = HandcraftedFeatures.compute(ecg: Array(ecg.prefix(n)), ppg: Array(ppg.prefix(n)), rate: 125)
            #expect(f.values.count == HandcraftedFeatures.names.count)
            _ = QualityCheck.assess(Array(ecg.prefix(n)), rate: 125, modality: .ecg)
        }
    }
}
