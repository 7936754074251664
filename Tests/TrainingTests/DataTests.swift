import Foundation
import Model
import Store
import Testing
import TestSupport
@testable import Training

/// Data sources, the subject split and the streamed epoch reader.
@Suite struct DataTests {
    @Test func splitIsBySubjectAndSeeded() throws {
        let usable = [Int](repeating: 5, count: 50)
        let a = try SubjectSplit(subjects: 50, usable: usable, validationFraction: 0.1, seed: 1, source: "x")
        let b = try SubjectSplit(subjects: 50, usable: usable, validationFraction: 0.1, seed: 1, source: "x")
        let c = try SubjectSplit(subjects: 50, usable: usable, validationFraction: 0.1, seed: 2, source: "x")
        #expect(a == b && a != c)
        #expect(a.validationCount == 5 && a.trainingCount == 45)
        // Subjects without usable segments are never validation subjects.
        var some = usable; some[0...40] = [Int](repeating: 0, count: 41)[...]
        let d = try SubjectSplit(subjects: 50, usable: some, validationFraction: 0.5, seed: 1, source: "x")
        #expect((0...40).allSatisfy { !d.isValidation[$0] } && d.validationCount == 5)
    }

    @Test func epochReaderStreamsTrainingSubjectsOnly() throws {
        let source = TestSource(subjects: 24, perSubject: 5)
        let split = try SubjectSplit(subjects: 24, usable: try source.usableSegmentsPerSubject(), validationFraction: 0.25,
                                     seed: 4, source: source.label)
        func epoch(_ e: Int) throws -> [[Float]] {
            let r = EpochReader(source: source, split: split, batchSize: 8, batches: 10, seed: 9, epoch: e, poolSegments: 32)
            var out: [[Float]] = []
            while let b = try r.next() { #expect(b.count == 8 && b.ecg.count == 8 * 1250); out.append(b.ecg) }
            return out
        }
        let e0 = try epoch(0), again = try epoch(0), e1 = try epoch(1)
        #expect(e0.count == 10 && e0 == again && e0 != e1)
        // Every streamed segment is one of a training subject's.
        let trainRows = Set(source.all.filter { !split.isValidation[$0.subject] }.map { $0.ecg.prefix(16).map { $0 } })
        for batch in e0 { for i in 0..<8 { #expect(trainRows.contains(Array(batch[(i * 1250)..<(i * 1250 + 16)]))) } }
        // Validation holds validation subjects only, capped.
        let val = try ValidationSet(source: source, split: split, limit: 12)
        #expect(val.segments.count == 12 && val.segments.allSatisfy { split.isValidation[$0.subject] })
    }

    @Test func storeSourceSkipsFlaggedSegments() throws {
        let url = TestSupport.projectRoot.appendingPathComponent("sample-data/cohort.h5")
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipping store source test: sample-data/cohort.h5 is absent"); return
        }
        let source = try StoreSource(url: url, blockSize: 100)
        let store = source.store
        let r = 0..<100
        let flagged = zip(try store.quality(.ecg, r), try store.quality(.ppg, r)).filter { !$0.isEmpty || !$1.isEmpty }.count
        let block = try source.block(0) { _ in true }
        #expect(block.count == 100 - flagged)
        #expect(block.allSatisfy { seg in seg.ecg.count == 1250 && seg.ecg.allSatisfy(\.isFinite) })
        let mean = block[0].ecg.reduce(0, +) / 1250, sd = (block[0].ecg.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 1250).squareRoot()
        #expect(abs(mean) < 1e-3 && abs(sd - 1) < 1e-3, "segments are z-scored")
        let usable = try source.usableSegmentsPerSubject()
        #expect(usable.count == store.subjects.count && usable.reduce(0, +) <= store.segmentCount && usable.reduce(0, +) > store.segmentCount / 2)
        let none = try source.block(0) { _ in false }
        #expect(none.isEmpty)
    }

    @Test func synthSourceIsDeterministicAndFiltered() throws {
        let a = SynthSource(subjects: 3, segmentsPerSubject: 2, seed: 7, subjectsPerBlock: 2)
        #expect(a.blockCount == 2 && a.label == "synth 3x2 seed 7")
        let b0 = try a.block(0) { $0 != 1 }, again = try a.block(0) { $0 != 1 }
        #expect(b0.allSatisfy { $0.subject == 0 } && b0.count <= 2)
        #expect(b0.map(\.ecg) == again.map(\.ecg))
    }
}
