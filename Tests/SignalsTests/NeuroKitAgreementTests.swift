import Foundation
import Testing
import TestSupport
@testable import Signals

// MARK: - Quality flags and beats against NeuroKit2 on every real recording

/// What one recording gives: flags per window and beat agreement on its clean windows.
struct RecordingScore {
    var recording: NeuroKitRecording
    var ecgFlags: [QualityFlags], ppgFlags: [QualityFlags]
    var rPeaks: BeatAgreement, pulses: BeatAgreement
    /// Per window: our heart rate from the ECG, pulse rate from the PPG (nil: none).
    var heartRate: [Double?], pulseRate: [Double?]

    init(_ r: NeuroKitRecording) {
        recording = r
        ecgFlags = r.ecgRaw.map { QualityCheck.assess($0, rate: r.ecgRate, modality: .ecg) }
        ppgFlags = r.ppgRaw.map { QualityCheck.assess($0, rate: r.ppgRate, modality: .ppg) }
        rPeaks = BeatAgreement(); pulses = BeatAgreement()
        heartRate = []; pulseRate = []
        let tolerance = Int(NeuroKitAgreementTests.toleranceSeconds * NeuroKitRecording.rate)
        for k in r.ecg.indices {
            let ours = RPeakDetector.detect(r.ecg[k], rate: NeuroKitRecording.rate)
            let pulse = PulseDetector.detect(r.ppg[k], rate: NeuroKitRecording.rate)
            heartRate.append(HeartRate.ecg(r.ecg[k], rate: NeuroKitRecording.rate))
            pulseRate.append(HeartRate.ppg(r.ppg[k], rate: NeuroKitRecording.rate))
            if ecgFlags[k].isClean { rPeaks.add(ours: ours, reference: r.nkECG[k], tolerance: tolerance) }
            if ppgFlags[k].isClean { pulses.add(ours: pulse.peaks, reference: r.nkPPG[k], tolerance: 2 * tolerance) }
        }
    }

    /// Windows where both modalities are clean and both rates were found.
    var bothClean: [(hr: Double, pr: Double)] {
        recording.ecg.indices.compactMap { k in
            guard ecgFlags[k].isClean, ppgFlags[k].isClean, let h = heartRate[k], let p = pulseRate[k] else { return nil }
            return (h, p)
        }
    }

    func medianRate(_ rates: [Double?], _ flags: [QualityFlags]) -> Double {
        SignalMath.median(zip(rates, flags).compactMap { $1.isClean ? $0 : nil })
    }

    static func flagCounts(_ flags: [QualityFlags]) -> String {
        QualityFlags.named.compactMap { flag, name in
            let n = flags.filter { $0.contains(flag) }.count
            return n == 0 ? nil : "\(name) \(n)"
        }.joined(separator: ", ")
    }

    var line: String {
        let n = recording.ecg.count
        let f = { (x: Double) in String(format: "%.1f", x) }
        return "\(recording.name): \(n) windows; ECG clean \(ecgFlags.filter(\.isClean).count) [\(Self.flagCounts(ecgFlags))]; "
            + "PPG clean \(ppgFlags.filter(\.isClean).count) [\(Self.flagCounts(ppgFlags))]; "
            + "R \(rPeaks.matched)/\(rPeaks.reference) NK beats matched, \(rPeaks.extra)/\(rPeaks.found) extra; "
            + "PPG \(pulses.matched)/\(pulses.reference) matched, \(pulses.extra)/\(pulses.found) extra; "
            + "HR \(f(medianRate(heartRate, ecgFlags))) PR \(f(medianRate(pulseRate, ppgFlags))) bpm; "
            + ">10 bpm apart \(bothClean.filter { abs($0.hr - $0.pr) > 10 }.count)/\(bothClean.count)"
    }
}

@Suite(.serialized) struct NeuroKitAgreementTests {
    /// An R-peak agrees with NeuroKit2's when within this many seconds (6 samples at 125 Hz).
    static let toleranceSeconds = 0.05

    private static let scores: Result<[RecordingScore], any Error> = Result {
        try NeuroKitRecording.all().map(RecordingScore.init)
    }

    private func load() throws -> [RecordingScore]? {
        if let reason = NeuroKitRecording.skipReason() { print(reason); return nil }
        return try Self.scores.get()
    }

    @Test func report() throws {
        guard let scores = try load() else { return }
        for s in scores { print(s.line) }
        if let v = scores.first(where: { $0.recording.name == "v102s" }) {
            print("v102s HR per window", v.heartRate.map { $0.map { Int($0) } ?? -1 }, "PR", v.pulseRate.map { $0.map { Int($0) } ?? -1 })
        }
        let all = scores.map(\.rPeaks).reduce(BeatAgreement(), +)
        print("all: R \(all.matched)/\(all.reference) matched (\(all.matchedShare)), extra \(all.extra)/\(all.found)")
    }
}

extension NeuroKitAgreementTests {
    @Test func dumpWindow() throws {
        guard let spec = ProcessInfo.processInfo.environment["M2AE_DUMP"], let scores = try load() else { return }
        let parts = spec.split(separator: ":")
        let s = scores.first { $0.recording.name == parts[0] }!
        let k = Int(parts[1])!
        print("ours", RPeakDetector.detect(s.recording.ecg[k], rate: 125))
        print("nk  ", s.recording.nkECG[k])
        let x = s.recording.ecg[k].map(Double.init), rate = 125.0
        let band = Filters.filtfilt(Filters.butterworth(rate: rate, low: 5, high: 15, order: 2), x)
        let mwi = SignalMath.movingAverage(SignalMath.derivative(band).map { $0 * $0 }, width: 18)
        let th = RPeakDetector.localThreshold(mwi, rate: rate)
        let c = RPeakDetector.pickPeaks(mwi, threshold: th, refractory: 25, range: 0..<mwi.count)
        print("cand", c, c.map { mwi[$0] / th[$0] })
        let sb = RPeakDetector.searchBack(c, mwi, threshold: th, refractory: 25)
        print("sb", sb)
        
        print("flags", s.ecgFlags[k].names, s.ppgFlags[k].names)
        try SignalFixtures.write(s.recording.ecg[k], to: URL(fileURLWithPath: "/tmp/sr_win.f32"))
    }
}
