import Foundation
import Testing
import TestSupport
@testable import Signals

// MARK: - Detectors on the shared real recordings (skipped when ../shared is absent)

@Suite(.serialized) struct DetectorRealDataTests {
    /// (record, ECG channel, PPG channel, expected bpm from PROVENANCE.md)
    static let records: [(String, String, String, Double)] = [
        ("a103l", "II", "PLETH", 127), ("v102s", "II", "PLETH", 104), ("neurokit", "ECG", "PPG", 87),
    ]

    private func load(_ name: String) throws -> RealRecording? {
        if let reason = RealRecording.skipReason(needsWFDB: name != "neurokit") { print(reason); return nil }
        return name == "neurokit" ? try RealRecording.neurokit() : try RealRecording.wfdb(name)
    }

    @Test(arguments: DetectorRealDataTests.records)
    func heartRateFromECGEqualsPulseRateFromPPG(record: String, ecgName: String, ppgName: String, expected: Double) throws {
        guard let rec = try load(record) else { return }
        let r = RPeakDetector.detect(rec.channel(ecgName, unwrapped: true), rate: rec.rate)
        let pulse = PulseDetector.detect(rec.channel(ppgName, unwrapped: true), rate: rec.rate)
        let hrECG = try #require(HeartRate.bpm(peaks: r, rate: rec.rate))
        let hrPPG = try #require(HeartRate.bpm(peaks: pulse.peaks, rate: rec.rate))
        print("\(record): ECG \(r.count) beats, \(hrECG) bpm; PPG \(pulse.peaks.count) pulses, \(hrPPG) bpm (expected \(expected))")
        #expect(abs(hrECG - expected) <= 2)
        #expect(abs(hrPPG - expected) <= 2)
    }

    /// (record, point, expected median delay, expected SD or nil)
    static let delays: [(String, PulseFiducials.Point, Double, Double?)] = [
        ("neurokit", .peak, 0.43, 0.03), ("v102s", .onset, 0.54, nil),
    ]

    @Test(arguments: DetectorRealDataTests.delays)
    func rPeakToPPGDelay(record: String, point: PulseFiducials.Point, expected: Double, expectedSD: Double?) throws {
        guard let rec = try load(record) else { return }
        let (ecgName, ppgName) = record == "neurokit" ? ("ECG", "PPG") : ("II", "PLETH")
        let r = RPeakDetector.detect(rec.channel(ecgName, unwrapped: true), rate: rec.rate)
        let pulse = PulseDetector.detect(rec.channel(ppgName, unwrapped: true), rate: rec.rate)
        for p in PulseFiducials.Point.allCases {
            let d = PulseArrival.seconds(rPeaks: r, pulse: pulse, rate: rec.rate, point: p)
            print("\(record): R→PPG \(p) \(d.count) delays, median \(SignalMath.median(d)) s, SD \(SignalMath.sampleStd(d)) s", [0, 0.01, 0.05, 0.25, 0.75, 0.95, 0.99, 1].map { SignalMath.quantile(d, $0) })
        }
        let delays = PulseArrival.seconds(rPeaks: r, pulse: pulse, rate: rec.rate, point: point)
        #expect(delays.count >= r.count * 9 / 10)
        #expect(abs(SignalMath.median(delays) - expected) <= 0.05)
        if let sd = expectedSD { #expect(abs(SignalMath.sampleStd(delays) - sd) <= 0.02) }
    }
}

// MARK: - Hand-crafted features on the resting NeuroKit record

@Suite struct FeatureRealDataTests {
    @Test func restingVolunteerHasNormalValues() throws {
        if let reason = RealRecording.skipReason(needsWFDB: false) { print(reason); return }
        let nk = try RealRecording.neurokit()
        let ecg = nk.channel("ECG"), ppg = nk.channel("PPG")
        let segments = stride(from: 0, to: ecg.count - 1000, by: 1000).map {
            HandcraftedFeatures.compute(ecg: Array(ecg[$0..<($0 + 1000)]), ppg: Array(ppg[$0..<($0 + 1000)]), rate: 100)
        }
        var median: [String: Double] = [:]
        for (k, name) in HandcraftedFeatures.names.enumerated() {
            let v = segments.map { Double($0.values[k]) }.filter(\.isFinite)
            median[name] = SignalMath.median(v)
            print("neurokit \(name): median \(SignalMath.median(v)) over \(v.count) of \(segments.count) segments, IQR \(SignalMath.quantile(v, 0.25))…\(SignalMath.quantile(v, 0.75))")
        }
        #expect(abs(median["hr_ecg_bpm"]! - 87) <= 3)
        #expect(abs(median["hr_ppg_bpm"]! - 87) <= 3)
        #expect(abs(median["pat_peak_ms"]! - 430) <= 50)
        #expect((60...120).contains(median["qrs_ms"]!))
        #expect((320...470).contains(median["qtc_ms"]!))
        #expect(median["t_amplitude_rel"]! > 0)
        #expect((50...250).contains(median["ppg_rise_ms"]!))
    }
}
