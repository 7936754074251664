import Foundation
import Testing
@testable import Synth
import Store
import Support

/// Label ↔ physiology relations, measured on the generated signals.
@Suite struct PhysiologyTests {
    let g = CohortGenerator(seed: 11, config: SynthConfig(defectRate: 0))

    /// The first `n` subjects of a class.
    private func subjects(_ c: ECGClass, _ n: Int) -> [SynthSubject] {
        var out: [SynthSubject] = [], i = 0
        while out.count < n { let s = g.subject(i); if s.physiology.ecgClass == c { out.append(s) }; i += 1 }
        return out
    }

    @Test func atrialFibrillationIsIrregular() {
        func irregularity(_ c: ECGClass) -> Double {
            Measure.median(subjects(c, 40).map { s in
                let seg = g.segment(s, index: 0).segment
                return Measure.normalisedRMSSD(Measure.rr(Measure.rPeaks(seg.ecg)))
            })
        }
        let af = irregularity(.atrialFibrillation), nsr = irregularity(.normal)
        #expect(af > 3 * nsr, "AF \(af) vs NSR \(nsr)")
        #expect(af > 0.1)
    }

    @Test func bundleBranchBlockWidensQRS() {
        func width(_ c: ECGClass) -> Double {
            Measure.mean(subjects(c, 40).map { s in
                let seg = g.segment(s, index: 0).segment
                return Measure.qrsWidth(seg.ecg, peaks: Measure.rPeaks(seg.ecg))
            })
        }
        let bbb = width(.bundleBranchBlock), nsr = width(.normal)
        #expect(bbb > 1.4 * nsr, "BBB \(bbb) s vs NSR \(nsr) s")
    }

    @Test func arrivalTimeFallsWithSystolicPressure() {
        var pat: [Double] = [], sbp: [Double] = []
        for s in subjects(.normal, 120) {
            let seg = g.segment(s, index: 0)
            pat.append(Measure.arrivalTime(ecgPeaks: Measure.rPeaks(seg.segment.ecg), ppg: seg.segment.ppg))
            sbp.append(seg.systolic)
        }
        let r = pearson(pat, sbp) ?? .nan
        #expect(r < -0.5, "Pearson r(PAT, SBP) = \(r)")
        // Within one subject too: the same person's higher-pressure segments arrive earlier.
        let s = subjects(.normal, 1)[0]
        let segs = (0..<40).map { g.segment(s, index: $0) }
        let within = pearson(segs.map { Measure.arrivalTime(ecgPeaks: Measure.rPeaks($0.segment.ecg), ppg: $0.segment.ppg) },
                             segs.map(\.systolic)) ?? .nan
        #expect(within < -0.3, "within-subject r = \(within)")
    }

    @Test func reflectedWaveComesEarlierWithAge() {
        var delay: [Double] = [], age: [Double] = []
        for s in subjects(.normal, 150) {
            // A subject's median over three segments, to quiet the measurement.
            let d = (0..<3).compactMap { j -> Double? in
                let seg = g.segment(s, index: j).segment
                return Measure.reflectionDelay(ecgPeaks: Measure.rPeaks(seg.ecg), ppg: seg.ppg)
            }
            if d.count >= 2 { delay.append(Measure.median(d)); age.append(s.physiology.age) }
        }
        #expect(delay.count > 100)
        let r = pearson(delay, age) ?? .nan
        #expect(r < -0.3, "Pearson r(reflection delay, age) = \(r)")
    }

    @Test func ventricularBeatsGiveAPulseDeficit() {
        // Pulse height after a PVC's R peak vs after a sinus one, from the ground-truth beat kinds.
        var ratio: [Double] = []
        for s in subjects(.prematureVentricular, 30) {
            for j in 0..<3 {
                let seg = g.segment(s, index: j)
                let ppg = seg.segment.ppg
                func height(_ b: Beat) -> Double? {
                    let i = Int(b.time * 125)
                    guard i + 60 < ppg.count else { return nil }
                    let w = ppg[(i + 10)..<(i + 60)]
                    return Double(w.max()! - w.min()!)
                }
                let pvc = seg.beats.filter { $0.kind == .ventricular }.compactMap(height)
                let sinus = seg.beats.filter { $0.kind == .sinus }.compactMap(height)
                if !pvc.isEmpty && !sinus.isEmpty { ratio.append(Measure.mean(pvc) / Measure.mean(sinus)) }
            }
        }
        #expect(ratio.count > 20)
        #expect(Measure.median(ratio) < 0.7, "PVC/sinus pulse height \(Measure.median(ratio))")
    }

    @Test func sexShowsInQRSAmplitudeAndQT() {
        var male: [Double] = [], female: [Double] = []
        for i in 0..<300 {
            let s = g.subject(i)
            guard s.physiology.ecgClass == .normal else { continue }
            let seg = g.segment(s, index: 0).segment
            let peaks = Measure.rPeaks(seg.ecg)
            let med = seg.ecg.sorted()[625]
            let amp = Measure.mean(peaks.map { Double(seg.ecg[$0] - med) })
            if s.physiology.sex == .male { male.append(amp) } else { female.append(amp) }
        }
        #expect(Measure.mean(male) > 1.15 * Measure.mean(female))
    }
}
