import Foundation
import Signals
import Store
import Synth

/// Training segments of the synthetic cohort (`Synth.CohortGenerator`), generated on the fly:
/// `subjects` × `segmentsPerSubject` segments, deterministic for the seed, so the training set
/// can be far larger than any committed store. A block is `subjectsPerBlock` subjects. A
/// segment is usable when neither modality carries a quality flag (the generator injects
/// recording defects into about 10 % of segments).
public struct SynthSource: SegmentSource {
    public let generator: CohortGenerator
    public let subjects: Int
    public let segmentsPerSubject: Int
    public let subjectsPerBlock: Int
    public var label: String { "synth \(subjects)x\(segmentsPerSubject) seed \(generator.seed)" }
    public var subjectCount: Int { subjects }
    public var blockCount: Int { (subjects + subjectsPerBlock - 1) / subjectsPerBlock }
    /// About 12 % of synthetic segments carry a quality flag and are dropped per block.
    public var expectedUsableShare: Double { 0.88 }

    public init(subjects: Int, segmentsPerSubject: Int, seed: UInt64, subjectsPerBlock: Int = 32) {
        generator = CohortGenerator(seed: seed)
        self.subjects = subjects; self.segmentsPerSubject = segmentsPerSubject; self.subjectsPerBlock = subjectsPerBlock
    }

    /// Every synthetic segment is counted usable here (the quality filter runs per block; a
    /// flagged segment then shortens its epoch by less than one batch in expectation).
    public func usableSegmentsPerSubject() throws -> [Int] {
        [Int](repeating: segmentsPerSubject, count: subjects)
    }

    public func block(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment] {
        let lo = k * subjectsPerBlock, hi = min(lo + subjectsPerBlock, subjects)
        var out: [PreparedSegment] = []
        for i in lo..<hi where keep(i) {
            let s = generator.subject(i)
            for j in 0..<segmentsPerSubject {
                let seg = generator.segment(s, index: j).segment
                guard seg.meta.ecgQuality.isEmpty && seg.meta.ppgQuality.isEmpty else { continue }
                out.append(PreparedSegment(subject: i, rawECG: seg.ecg, rawPPG: seg.ppg))
            }
        }
        return out
    }
}
