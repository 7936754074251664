import Foundation
import Testing
@testable import Synth
import Store

/// Defects appear at the configured rate, and each one shows in the samples.
@Suite struct DefectTests {
    @Test func rateMatchesConfig() {
        for rate in [0.0, 0.25] {
            let g = CohortGenerator(seed: 5, config: SynthConfig(defectRate: rate))
            var defective = 0, total = 0
            var kinds = Set<Defect.Kind>()
            for i in 0..<150 {
                let s = g.subject(i)
                for j in 0..<4 {
                    let seg = g.segment(s, index: j)
                    total += 1
                    if !seg.defects.isEmpty { defective += 1 }
                    kinds.formUnion(seg.defects.map(\.kind))
                    let nans = seg.segment.ecg.filter(\.isNaN).count + seg.segment.ppg.filter(\.isNaN).count
                    #expect((nans > 0) == seg.defects.contains { $0.kind == .missing })
                }
            }
            let observed = Double(defective) / Double(total)
            let sd = (rate * (1 - rate) / Double(total)).squareRoot()
            #expect(abs(observed - rate) <= 4 * sd + 1e-12, "defect rate \(observed) for configured \(rate)")
            if rate > 0 { #expect(kinds == Set(Defect.Kind.allCases)) }
        }
    }

    @Test func eachDefectShowsInItsModality() {
        let g = CohortGenerator(seed: 8, config: SynthConfig(defectRate: 1))
        let clean = CohortGenerator(seed: 8, config: SynthConfig(defectRate: 0))
        var seen = 0
        for i in 0..<40 {
            let s = g.subject(i)
            let seg = g.segment(s, index: 0)
            guard let d = seg.defects.first else { Issue.record("no defect at rate 1"); continue }
            for m in d.modalities {
                let x = seg.segment.signal(m)
                switch d.kind {
                case .missing:
                    #expect(d.samples.allSatisfy { x[$0].isNaN })
                case .clipping:
                    let top = x.max()!
                    #expect(x.filter { $0 == top }.count >= 5, "clipped \(m) has a flat top")
                case .motion, .baselineWander:
                    // Same subject and segment without the defect: the signals differ inside the span.
                    let y = clean.segment(clean.subject(i), index: 0).segment.signal(m)
                    let diff = d.samples.map { abs(Double(x[$0] - y[$0])) }.max()!
                    #expect(diff > 0.05, "\(d.kind) changed \(m) by \(diff)")
                }
                seen += 1
            }
        }
        #expect(seen >= 40)
    }
}
