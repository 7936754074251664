import Foundation
import Testing
@testable import Signals
import Support

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

    @Test func sharpQRSAtLowRatesIsNotWrapped() {
        // At 50 Hz a 40-ms QRS is a one-sample spike: a jump of most of the range up and
        // straight back down, at every beat (the NCKU leads).
        var spikes = SyntheticBeats()
        spikes.rate = 50
        spikes.qrs = 0.04
        #expect(QualityCheck.assess(spikes.ecg(), rate: 50, modality: .ecg) == [])
        // An R that rises over two samples and falls straight to a rising baseline: jumps of
        // one sign only, beat after beat, that never come back.
        var x = [Float](repeating: 0, count: 500)
        for b in stride(from: 20, to: 480, by: 40) {
            x[b - 1] = 0.45; x[b] = 0.95; x[b + 1] = 0.02
            for j in 2..<12 { x[b + j] = 0.02 + 0.01 * Float(j) }
        }
        #expect(!QualityCheck.assess(x, rate: 50, modality: .ecg).contains(.wrapped))
    }

    @Test func qrsWrappingSeveralTimesWithinAFewSamplesIsWrapped() {
        // v102s's lead II at 250 Hz: a QRS taller than the ADC span runs through it twice up
        // and twice down within 60 ms (values in units of the range, copied from one beat).
        let qrs: [Float] = [0.43, 0.51, 0.67, 0.91, 0.18, 0.53, 0.92, 0.25, 0.4, 0.26, 0.88, 0.36, 0.88, 0.52, 0.33, 0.3, 0.34, 0.4]
        var x = (0..<2500).map { Float(0.42 + 0.02 * sin(Double($0) / 40)) }
        for b in stride(from: 100, to: 2400, by: 145) { x.replaceSubrange(b..<(b + qrs.count), with: qrs) }
        #expect(QualityCheck.assess(x, rate: 250, modality: .ecg).contains(.wrapped))
    }

    @Test func coarselyQuantisedSignalIsFlat() {
        // TestICU's ECG and PPG: millivolts stored with a gain of 1, so only −1, 0 and 1 remain.
        let coarse = beats.ecg().map { ($0 * 1.5 - 0.3).rounded() }
        #expect(Set(coarse).count <= 3)
        #expect(QualityCheck.assess(coarse, rate: 125, modality: .ecg) == .flat)
        #expect(QualityCheck.assess(beats.ppg().map { ($0 * 1.5).rounded() }, rate: 125, modality: .ppg) == .flat)
    }

    @Test func artefactDwarfingTheBeatsIsNoisy() {
        // The NCKU device's glitch: a ramp to 12 times the R height over 0.4 s, then a drop.
        var ecg = beats.ecg()
        for (j, i) in (600..<650).enumerated() { ecg[i] += 12 * Float(j) / 50 }
        #expect(QualityCheck.assess(ecg, rate: 125, modality: .ecg).contains(.noisy))
        // A lead that loses its beats for 3 s (a tenth of the amplitude) has missed beats.
        var faded = beats.ecg()
        for i in 400..<775 { faded[i] *= 0.05 }
        #expect(QualityCheck.assess(faded, rate: 125, modality: .ecg).contains(.noisy))
    }

    @Test func noiseWithoutBeatsIsNoisy() {
        var rng = SplitMix64(seed: 9)
        let noise: [Float] = (0..<1250).map { _ in Float(rng.uniform() - 0.5) }
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
