import Foundation
import Testing
@testable import Synth
import Store

/// Segments have the store's format, sensible units, records and start times.
@Suite struct FormatTests {
    let g = CohortGenerator(seed: 3, config: SynthConfig(defectRate: 0))

    @Test func samplesAndMeta() {
        for i in 0..<30 {
            let s = g.subject(i)
            #expect(s.subject.id == String(format: "S%05d", i))
            let segs = g.segments(subject: i, count: 4)
            for (j, seg) in segs.enumerated() {
                #expect(seg.ecg.count == 1250 && seg.ppg.count == 1250)
                #expect(seg.ecg.allSatisfy(\.isFinite) && seg.ppg.allSatisfy(\.isFinite))
                #expect(seg.meta.subjectIndex == Int32(i))
                #expect(seg.meta.record == s.subject.id + "_r0")
                #expect(seg.meta.ecgOriginalRate == 125 && seg.meta.ppgOriginalRate == 125)
                if j > 0 { #expect(seg.meta.start >= segs[j - 1].meta.start + 10) }
                // ECG in mV: a QRS of a fraction of a mV to a few mV.
                let range = (seg.ecg.max()! - seg.ecg.min()!)
                #expect(range > 0.3 && range < 6, "ECG range \(range) mV, subject \(i)")
                #expect(seg.ppg.max()! - seg.ppg.min()! > 0.05)
            }
        }
    }

    @Test func labelsArePlausibleAndConsistent() {
        let n = 1500
        let subjects = (0..<n).map { g.subject($0).physiology }
        var counts = [Int](repeating: 0, count: 5)
        for p in subjects {
            counts[Int(p.ecgClass.rawValue)] += 1
            #expect(p.age >= 18 && p.age <= 92)
            #expect(p.diastolic < p.systolic)
            switch p.ecgClass {
            case .atrialFibrillation: #expect(p.ppgClass == .atrialFibrillation)
            case .prematureVentricular: #expect(p.ppgClass == .ectopic)
            default: #expect(p.ppgClass != .atrialFibrillation)
            }
        }
        // Every class present with enough subjects for a probe; NSR the commonest.
        for c in 0..<5 { #expect(Double(counts[c]) / Double(n) > 0.07, "class \(ECGClass.names[c]): \(counts[c])") }
        #expect(counts[0] == counts.max())
        let htn = Double(subjects.filter { $0.labels.hypertension == true }.count) / Double(n)
        let dead = Double(subjects.filter(\.mortality).count) / Double(n)
        let male = Double(subjects.filter { $0.sex == .male }.count) / Double(n)
        #expect(htn > 0.15 && htn < 0.5, "hypertension prevalence \(htn)")
        #expect(dead > 0.05 && dead < 0.3, "mortality \(dead)")
        #expect(male > 0.4 && male < 0.6)
        // Mortality follows its risk model: the dead are older than the living.
        let deadAge = Measure.mean(subjects.filter(\.mortality).map(\.age))
        let aliveAge = Measure.mean(subjects.filter { !$0.mortality }.map(\.age))
        #expect(deadAge > aliveAge + 5)
    }
}
