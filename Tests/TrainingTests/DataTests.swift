import Foundation
import Model
import Signals
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

    /// A store's measured device delays reach the model's input: each segment's PPG moved to
    /// the model's delay, the ECG untouched; a segment without a delay as recorded.
    @Test func storeSourceMovesThePPGToTheModelsDelay() throws {
        let folder = try TestSupport.temporaryFolder("store-source-delay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("s.h5")
        let writer = try StoreWriter(url: url, subjects: [Subject(id: "a")], attributes: [:])
        let segments = [0.54, nil, 0.12].enumerated().map { i, delay in
            let ecg = (0..<1250).map { Float(sin(Double($0 + 40 * i) * 0.09)) }, ppg = (0..<1250).map { Float(cos(Double($0) * 0.05 + Double(i))) }
            return Segment(meta: SegmentMeta(subjectIndex: 0, record: "r\(i)", start: 0, ecgOriginalRate: 125, ppgOriginalRate: 125,
                                             ppgDelay: delay), ecg: ecg, ppg: ppg)
        }
        try writer.append(segments)
        try writer.commit()
        let block = try StoreSource(url: url).block(0) { _ in true }
        #expect(block.count == 3)
        for (b, s) in zip(block, segments) {
            #expect(b.ecg == Preprocessing.prepare(s.ecg, modality: .ecg))
            #expect(b.ppg == DeviceDelay.modelInput(Preprocessing.prepare(s.ppg, modality: .ppg), delay: s.meta.ppgDelay))
        }
        #expect(block[0].ppg != Preprocessing.prepare(segments[0].ppg, modality: .ppg))
        #expect(block[1].ppg == Preprocessing.prepare(segments[1].ppg, modality: .ppg))

        // The PyTorch reference trainer feeds the same PPG (reference/train.py, StoreData.batch).
        if let missing = Python.missing(["h5py", "scipy", "torch"]) {
            if Python.required { Issue.record("Python modules missing: \(missing)") }
            print("skipped the reference comparison: Python modules missing: \(missing)"); return
        }
        let code = """
        import json, sys
        sys.path.insert(0, "reference")
        import h5py
        from train import model_input_ppg, preprocess
        with h5py.File(sys.argv[1], "r") as f:
            print(json.dumps(model_input_ppg(preprocess(f["signals/ppg"][:], "ppg"), f["segments/ppg_delay"][:]).tolist()))
        """
        let r = try Python.run(["-c", code, url.path])
        try #require(r.status == 0, "\(r.stderr)")
        let reference = try JSONDecoder().decode([[Float]].self, from: Data(r.stdout.utf8))
        #expect(reference.count == 3)
        for (row, b) in zip(reference, block) {
            #expect(zip(row, b.ppg).allSatisfy { abs($0 - $1) < 1e-4 })
        }
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
