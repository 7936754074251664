import Foundation
import Model
@testable import Training
import Support

/// An in-memory segment source for trainer tests: each subject has its own rhythm (a base
/// frequency and harmonics); its PPG is a delayed, smoothed pulse of the same rhythm, so the
/// cross-modal objective has something to learn. Deterministic.
struct TestSource: SegmentSource {
    let subjects: Int
    let perSubject: Int
    /// Every segment, prepared once (subject-major).
    let all: [PreparedSegment]

    init(subjects: Int, perSubject: Int) {
        self.subjects = subjects; self.perSubject = perSubject
        all = (0..<subjects).flatMap { s in (0..<perSubject).map { Self.segment(s, $0) } }
    }

    var label: String { "test \(subjects)x\(perSubject)" }
    var subjectCount: Int { subjects }
    var blockCount: Int { (subjects + 7) / 8 }

    func usableSegmentsPerSubject() throws -> [Int] { [Int](repeating: perSubject, count: subjects) }

    func block(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment] {
        var out: [PreparedSegment] = []
        for s in (k * 8)..<min(k * 8 + 8, subjects) where keep(s) {
            out += all[(s * perSubject)..<((s + 1) * perSubject)]
        }
        return out
    }

    static func segment(_ s: Int, _ j: Int) -> PreparedSegment {
        var rng = SplitMix64(state: UInt64(s * 1000 + j))
        let f = 0.9 + 0.05 * Double(s % 17) + 0.01 * Double(j)
        let phase = Double.random(in: 0..<6.28, using: &rng)
        var ecg = [Float](repeating: 0, count: 1250), ppg = ecg
        for i in 0..<1250 {
            let t = Double(i) / 125
            let x = phase + 2 * Double.pi * f * t
            ecg[i] = Float(pow(max(0, cos(x)), 20) - 0.1 * sin(2 * x)) + 0.02 * rng.nextGaussian()
            ppg[i] = Float(0.6 * sin(x - 1.2) + 0.2 * sin(2 * x - 2)) + 0.02 * rng.nextGaussian()
        }
        return PreparedSegment(subject: s, rawECG: ecg, rawPPG: ppg)
    }
}
