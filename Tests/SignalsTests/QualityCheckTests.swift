import Foundation
import Testing
@testable import Signals

// MARK: - Quality flags on synthetic faults and on the real recordings

@Suite struct QualityCheckTests {
    let beats = SyntheticBeats()

    @Test func cleanBeatsRaiseNoFlag() {
        #expect(QualityCheck.assess(beats.ecg(), rate: 125, modality: .ecg) == [])
        #expect(QualityCheck.assess(beats.ppg(), rate: 125, modality: .ppg) == [])
    }

    @Test func absentFlatAndNaNRuns() {
        #expect(QualityCheck.assess([Float](repeating: .nan, count: 1250), rate: 125, modality: .ecg) == .absent)
        #expect(QualityCheck.assess([], rate: 125, modality: .ecg) == .absent)
        #expect(QualityCheck.assess([Float](repeating: 2.5, count: 1250), rate: 125, modality: .ppg) == .flat)
        // A lead that drops out for 6 of 10 seconds is flat.
        var off = beats.ecg()
        for i in 300..<1050 { off[i] = 0 }
        #expect(QualityCheck.assess(off, rate: 125, modality: .ecg).contains(.flat))
        // A 0.4-s gap is a NaN run; a 3-sample gap is tolerated.
        var gap = beats.ecg()
        for i in 500..<550 { gap[i] = .nan }
        #expect(QualityCheck.assess(gap, rate: 125, modality: .ecg) == .nanRun)
        var blip = beats.ecg()
        for i in 500..<503 { blip[i] = .nan }
        #expect(QualityCheck.assess(blip, rate: 125, modality: .ecg) == [])
    }

    @Test func saturatedSignalIsClipped() {
        let clipped = beats.ppg().map { min($0, 0.7) }       // every pulse cut at 70 %
        #expect(QualityCheck.assess(clipped, rate: 125, modality: .ppg).contains(.clipped))
    }

    @Test func wrapAroundIsFlagged() {
        // A PPG on a 12-bit ADC whose upstroke runs past the top code and wraps to the bottom.
        let span: Float = 1.6
        let wrapped = beats.ppg().map { v -> Float in
            var w = v * 2 - 0.4
            while w >= span / 2 { w -= span }
            return w
        }
        let flags = QualityCheck.assess(wrapped, rate: 125, modality: .ppg)
        #expect(flags.contains(.wrapped))
        #expect(!flags.contains(.noisy))
    }

    @Test func noiseWithoutBeatsIsNoisy() {
        var rng = UInt64(9)
        let noise: [Float] = (0..<1250).map { _ in
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(rng >> 11) / Double(1 << 53) - 0.5)
        }
        #expect(QualityCheck.assess(noise, rate: 125, modality: .ecg).contains(.noisy))
        #expect(QualityCheck.assess(noise, rate: 125, modality: .ppg).contains(.noisy))
    }

    @Test func realRecordings() throws {
        if let reason = RealRecording.skipReason(needsWFDB: true) { print(reason); return }
        // v102s's PLETH wraps about 1,000 times in 300 s: nearly every 10-s segment must say so.
        let v102s = try RealRecording.wfdb("v102s")
        let pleth = v102s.channel("PLETH")
        let segments = stride(from: 0, to: pleth.count - 2500, by: 2500).map { Array(pleth[$0..<($0 + 2500)]) }
        let wrapped = segments.filter { QualityCheck.assess($0, rate: 250, modality: .ppg).contains(.wrapped) }.count
        print("v102s PLETH: \(wrapped) of \(segments.count) 10-s segments wrapped")
        #expect(wrapped >= segments.count * 9 / 10)
        // The resting NeuroKit recording is clean: ECG and PPG segments pass.
        let nk = try RealRecording.neurokit()
        for name in ["ECG", "PPG"] {
            let x = nk.channel(name)
            let modality: Modality = name == "ECG" ? .ecg : .ppg
            let flags = stride(from: 0, to: x.count - 1000, by: 1000).map {
                QualityCheck.assess(Array(x[$0..<($0 + 1000)]), rate: 100, modality: modality)
            }
            let clean = flags.filter(\.isClean).count
            print("neurokit \(name): \(clean) of \(flags.count) 10-s segments clean; flags seen: \(Set(flags.flatMap(\.names)))")
            #expect(clean >= flags.count * 9 / 10)
        }
    }
}
