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

    /// Only v102s wraps (its PLETH in every window, its ECG inside the QRS complexes); every
    /// other ECG and PPG window of every real recording is free of `wrapped`.
    @Test func wrappedOnlyWhereTheADCWraps() throws {
        guard let scores = try load() else { return }
        for s in scores { print(s.line) }
        for s in scores where s.recording.name != "v102s" {
            #expect(!s.ecgFlags.contains { $0.contains(.wrapped) }, "\(s.recording.name) ECG")
            #expect(!s.ppgFlags.contains { $0.contains(.wrapped) }, "\(s.recording.name) PPG")
        }
        let v102s = try #require(scores.first { $0.recording.name == "v102s" })
        #expect(v102s.ppgFlags.allSatisfy { $0.contains(.wrapped) })
        #expect(v102s.ecgFlags.allSatisfy { $0.contains(.wrapped) })
    }

    /// R-peaks within 50 ms of NeuroKit2's on at least 95 % of its beats over all clean ECG
    /// windows (at least 90 % in each recording), with at most 5 % of ours unmatched.
    @Test func rPeaksAgreeWithNeuroKit() throws {
        guard let scores = try load() else { return }
        let all = scores.map(\.rPeaks).reduce(BeatAgreement(), +)
        print("all clean ECG windows: \(all.matched) of \(all.reference) NeuroKit2 beats matched (\(all.matchedShare)), \(all.extra) of \(all.found) of ours unmatched")
        #expect(all.matchedShare >= 0.95)
        #expect(all.extraShare <= 0.05)
        for s in scores where s.rPeaks.reference > 0 {
            #expect(s.rPeaks.matchedShare >= 0.9, "\(s.line)")
        }
    }

    /// Where NeuroKit2's own heart and pulse rates agree (medians over the windows within
    /// 5 bpm), ours agree too: median heart rate over clean ECG windows within 5 bpm of the
    /// median pulse rate over clean PPG windows, in at least 90 % of those recordings.
    @Test func heartRateFromECGMatchesPulseRateFromPPG() throws {
        guard let scores = try load() else { return }
        let nkRate = { (peaks: [[Int]]) in
            SignalMath.median(peaks.compactMap { HeartRate.bpm(peaks: $0, rate: NeuroKitRecording.rate) })
        }
        var agreeing = 0, compared = 0
        for s in scores {
            let nkHeart = nkRate(s.recording.nkECG), nkPulse = nkRate(s.recording.nkPPG)
            let heart = s.medianRate(s.heartRate, s.ecgFlags), pulse = s.medianRate(s.pulseRate, s.ppgFlags)
            guard abs(nkHeart - nkPulse) <= 5, heart.isFinite, pulse.isFinite else { continue }
            compared += 1
            if abs(heart - pulse) <= 5 { agreeing += 1 } else {
                print("\(s.recording.name): heart \(heart), pulse \(pulse) bpm; NeuroKit2 \(nkHeart), \(nkPulse)")
            }
        }
        print("heart rate within 5 bpm of pulse rate in \(agreeing) of \(compared) recordings")
        #expect(Double(agreeing) >= 0.9 * Double(compared))
    }

    /// v102s's lead II wraps inside every QRS complex; resampled to 125 Hz (as stored) its
    /// heart rate once read 170–240 bpm on the P and T waves. Every window now reads within
    /// 10 bpm of the pulse rate from the (unwrapped) PLETH.
    @Test func v102sHasNoDoubledBeats() throws {
        guard let scores = try load() else { return }
        let v102s = try #require(scores.first { $0.recording.name == "v102s" })
        for (k, (h, p)) in zip(v102s.heartRate, v102s.pulseRate).enumerated() {
            let heart = try #require(h), pulse = try #require(p)
            #expect(abs(heart - pulse) <= 10, "window \(k): heart \(heart), pulse \(pulse) bpm")
        }
        print("v102s heart rate per window:", v102s.heartRate.map { Int($0!.rounded()) })
    }

    /// PPG systolic peaks within 100 ms of NeuroKit2's on at least 95 % of its pulses over all
    /// clean PPG windows (the two methods place the peak differently on a rounded pulse).
    @Test func pulsePeaksAgreeWithNeuroKit() throws {
        guard let scores = try load() else { return }
        let all = scores.map(\.pulses).reduce(BeatAgreement(), +)
        print("all clean PPG windows: \(all.matched) of \(all.reference) NeuroKit2 pulses matched (\(all.matchedShare)), \(all.extra) of \(all.found) of ours unmatched")
        #expect(all.matchedShare >= 0.95)
        #expect(all.extraShare <= 0.06)
    }
}
