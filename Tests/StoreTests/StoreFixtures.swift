import Foundation
import TestSupport
@testable import Store

/// Deterministic stores for the Store tests: every field takes distinct, checkable values.
enum StoreFixtures {
    /// Three subjects: one fully labelled, one partly, one with no labels at all.
    static let subjects: [Subject] = [
        Subject(id: "s-001", labels: SubjectLabels(age: 63.5, sex: .male, systolic: 151, diastolic: 92,
                                                   hypertension: true, ecgClass: .atrialFibrillation,
                                                   ppgClass: .ectopic, mortality: false)),
        Subject(id: "s-002 ünïcode", labels: SubjectLabels(age: 41, sex: .female, hypertension: false,
                                                          ecgClass: .bundleBranchBlock, mortality: true)),
        Subject(id: "s-003"),
    ]

    /// Segment `i`: ECG sample j is `i + j/1000`, PPG is its negative; metadata from `meta(i)`.
    static func segment(_ i: Int) -> Segment {
        let ecg = (0..<SegmentFormat.samples).map { Float(i) + Float($0) / 1000 }
        return Segment(meta: meta(i), ecg: ecg, ppg: ecg.map { -$0 })
    }

    /// The metadata of segment `i`: every field varies with `i`.
    static func meta(_ i: Int) -> SegmentMeta {
        SegmentMeta(subjectIndex: Int32(i % subjects.count), record: "rec-\(i / 4)",
                    start: Double(i % 4) * 10, ecgOriginalRate: i % 2 == 0 ? 500 : 360,
                    ppgOriginalRate: i % 5 == 0 ? 0 : 125,
                    ecgQuality: i % 7 == 0 ? [.flat, .noisy] : [],
                    ppgQuality: i % 5 == 0 ? [.absent] : (i % 3 == 0 ? [.clipped] : []),
                    ppgDelay: i % 5 == 0 ? nil : 0.2 + Double((i / 4) % 60) / 100)
    }

    /// Writes a committed store of `count` fixture segments, appended in uneven batches.
    static func write(_ url: URL, count: Int, attributes: [String: String] = ["generator": "StoreTests"]) throws {
        let w = try StoreWriter(url: url, subjects: subjects, attributes: attributes)
        var i = 0
        var batch = 1
        while i < count {
            let n = min(batch, count - i)
            try w.append((i..<(i + n)).map(segment))
            i += n
            batch = batch * 3 + 1
        }
        try w.commit()
    }

    /// A fresh folder and a store path inside it.
    static func folder() throws -> (dir: URL, store: URL) {
        let dir = try TestSupport.temporaryFolder("m2ae-store")
        return (dir, dir.appendingPathComponent("t.m2ae.h5"))
    }
}
