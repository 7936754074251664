import Foundation
import Model
import Pipelines
import Store
import Testing
import TestSupport
@testable import Analytics
import Query

/// The store-facing analytics on a small written store: neighbours (exact and a saved index),
/// projections, the evaluation runner with a tiny checkpoint, and prediction.
@Suite(.serialized) struct StoreAnalyticsTests {
    static let model = "m-test"
    static let dim = 8

    /// A store of 24 subjects × 6 segments with labels; fingerprints for `model` in all three
    /// modes, clustered by subject and shifted by the subject's sex and age.
    static func makeStore(in folder: URL, fingerprints: Bool = true) throws -> URL {
        let url = folder.appendingPathComponent("s.h5")
        var rng = SeededRandom(seed: 21)
        var subjects: [Subject] = []
        for i in 0..<24 {
            let sex: Sex = i % 2 == 0 ? .female : .male
            let labels = SubjectLabels(age: Float(30 + i * 2), sex: sex, hypertension: i % 3 == 0, ecgClass: ECGClass(rawValue: Int8(i % 5)))
            subjects.append(Subject(id: "p\(i)", labels: labels))
        }
        let writer = try StoreWriter(url: url, subjects: subjects, attributes: ["generator": "analytics test"])
        var segments: [Segment] = []
        for s in 0..<24 {
            for j in 0..<6 {
                // An ECG-like train: narrow R spikes and a broad T wave every beat (0.7–1.0 s,
                // by subject), plus noise; the PPG is a smooth pulse 0.2 s later.
                var ecg = [Float](repeating: 0, count: SegmentFormat.samples), ppg = ecg
                let period = Float(88 + 10 * (s % 4))
                for t in ecg.indices {
                    let phase = Float(t).truncatingRemainder(dividingBy: period)
                    let r = exp(-pow((phase - 20) / 2, 2)), tw = 0.3 * exp(-pow((phase - 50) / 8, 2))
                    let pulse = exp(-pow((phase - 45) / 12, 2))
                    let noise: Float = 0.02 * Fixtures.gaussian(&rng)
                    ecg[t] = r + tw + noise; ppg[t] = pulse + noise
                }
                segments.append(Segment(meta: SegmentMeta(subjectIndex: Int32(s), record: "r\(s)", start: Double(j) * 10,
                                                          ecgOriginalRate: 125, ppgOriginalRate: 125), ecg: ecg, ppg: ppg))
            }
        }
        try writer.append(segments)
        try writer.commit()
        guard fingerprints else { return url }
        let centres = (0..<24 * dim).map { _ in Fixtures.gaussian(&rng) }
        try StoreEditor.edit(url) { edit in
            for mode in FingerprintMode.allCases {
                var rows = [Float]()
                for s in 0..<24 {
                    for _ in 0..<6 {
                        for c in 0..<dim {
                            var v = centres[s * dim + c] + 0.2 * Fixtures.gaussian(&rng)
                            if c == 0 { v += s % 2 == 0 ? 1.5 : -1.5 }
                            if c == 1 { v += Float(s) / 8 }
                            rows.append(v)
                        }
                    }
                }
                try edit.createMatrix(StoreLayout.fingerprints(model: model, mode: mode), rows: 144, cols: dim)
                try edit.writeRows(StoreLayout.fingerprints(model: model, mode: mode), start: 0, rows, cols: dim)
            }
            try edit.setAttributes(StoreLayout.model(model), ["model_id": model])
        }
        return url
    }

    @Test func knnExactIndexAndSubjectExclusion() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-analytics")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.makeStore(in: folder)
        let store = try RecordStore(url: url)
        let exact = try StoreQuery(store: store).neighbours(of: 7, model: nil, mode: .both, k: 5, excludeSameSubject: false)
        #expect(exact.method == .exact && exact.model == Self.model)
        #expect(exact.neighbours.count == 5 && !exact.neighbours.contains { $0.segment == 7 })
        #expect(exact.neighbours.allSatisfy { $0.subject == "p1" })   // segments 6..<12 are subject p1
        let other = try StoreQuery(store: store).neighbours(of: 7, model: nil, mode: .ecg, k: 5, excludeSameSubject: true)
        #expect(other.neighbours.allSatisfy { $0.subject != "p1" })
        #expect(other.table().contains("same subject excluded"))

        let (index, tried) = try StoredIndex.build(try StoreFingerprints(store: store, model: nil, mode: .both), lists: 6)
        #expect(index.measuredRecall! >= 0.95 && !tried.isEmpty)
        let reopened = try RecordStore(url: url)
        let approx = try StoreQuery(store: reopened).neighbours(of: 7, model: nil, mode: .both, k: 5, excludeSameSubject: false, method: .ivf)
        #expect(approx.method == .ivf && approx.indexRecallAt10 == index.measuredRecall.map { ($0 * 10_000).rounded() / 10_000 })
        #expect(Set(approx.neighbours.map(\.segment)).count == 5)

        #expect(throws: AnalyticsError.self) { try StoreQuery(store: reopened).neighbours(of: 144, model: nil, mode: .both, k: 5, excludeSameSubject: false) }
        #expect(throws: AnalyticsError.self) { try StoreQuery(store: reopened).neighbours(of: 0, model: "nope", mode: .both, k: 5, excludeSameSubject: false) }
        #expect(throws: AnalyticsError.self) { try StoreQuery(store: reopened).neighbours(of: 0, model: nil, mode: .ppg, k: 5, excludeSameSubject: false, method: .ivf) }
    }

    @Test func projectionsAreSavedForTheWorkbench() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-analytics")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.makeStore(in: folder)
        let report = try ProjectionReport.compute(store: try RecordStore(url: url), model: nil, mode: .both, umapLimit: 100, sampleLimit: 144)
        #expect(report.umapPoints == 100 && report.finite == 144)
        #expect(report.umapTrustworthiness > 0.8 && report.pcaTrustworthiness > 0.5)
        let store = try RecordStore(url: url)
        let pca = try store.matrix(StoreLayout.projections(model: Self.model) + "/pca", rows: 0 ..< 144)
        let umap = try store.matrix(StoreLayout.projections(model: Self.model) + "/umap", rows: 0 ..< 144)
        #expect(pca.allSatisfy { $0.isFinite })
        #expect(umap.filter { $0.isFinite }.count == 200)   // 100 embedded points, the rest NaN
        #expect(try store.modelAttributes(Self.model)["projection.umap.trustworthiness_at_10"] != nil)
    }

    @Test func evaluationTableHandlesMissingLabelsAndOneClass() {
        var rng = SeededRandom(seed: 8)
        // 20 subjects, 5 segments each; sex signal in column 0; no mortality labels; PPG class only "normal".
        var subjects: [Subject] = []
        for i in 0..<20 {
            let sex: Sex = i % 2 == 0 ? .female : .male
            subjects.append(Subject(id: "s\(i)", labels: SubjectLabels(age: Float(20 + i), sex: sex, ppgClass: .normal)))
        }
        let segs = (0..<100).map { Int32($0 / 5) }
        var x = [Float]()
        for s in segs {
            let a: Float = Float(s % 2) * 2 + Fixtures.gaussian(&rng)
            let b: Float = Float(s) / 5 + 0.3 * Fixtures.gaussian(&rng)
            x += [a, b, Fixtures.gaussian(&rng)]
        }
        let trainRows = (0..<60).map { $0 }, testRows = (60..<100).map { $0 }
        let rep = Representation(name: "F", dim: 3, train: LinearProbe.rows(x, dim: 3, trainRows), test: LinearProbe.rows(x, dim: 3, testRows), mode: .both)
        let e = Evaluation(replicates: 50)
        let (rows, notes, heads) = e.run(train: SplitSide(subjects: subjects, segmentSubjects: trainRows.map { segs[$0] }),
                                         test: SplitSide(subjects: subjects, segmentSubjects: testRows.map { segs[$0] }), representations: [rep])
        #expect(notes.contains("mortality: skipped, no labels in the training store"))
        #expect(notes.contains("CVD 3-class (PPG): skipped, only one class (normal) in the training labels"))
        let sex = rows.first { $0.task == .sex }!
        #expect(sex.estimate!.value > 0.9)
        let age = rows.first { $0.task == .age && $0.metric == .pearson }!
        #expect(age.estimate!.value > 0.8)
        #expect(heads["sex"]?["ecg+ppg"] != nil && heads["mortality"] == nil)
        #expect(rows.allSatisfy { r in r.estimate.map { $0.value.isFinite && $0.lower.isFinite } ?? (r.note != nil) })
    }

    @Test func evaluateRunnerAndPredictWithATinyCheckpoint() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-analytics")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.makeStore(in: folder, fingerprints: false)
        let ckpt = folder.appendingPathComponent("tiny.safetensors")
        let model = try M2AEModel.random(config: .tiny, seed: 5)
        try model.save(to: ckpt)
        var runner = EvaluationRunner(train: url, test: nil, checkpoint: ckpt)
        runner.replicates = 20
        #expect(throws: AnalyticsError.self) { try runner.run() }   // not embedded yet: names `m2ae embed`
        _ = try Embedder(model: model).run(store: url)
        runner.randomBaseline = false
        let report = try runner.run()
        #expect(report.representations == ["ECG+PPG", "ECG", "PPG", "hand-crafted"])
        #expect(report.split.kind == "fixed-subject-split" && report.split.testSubjects == 5 && report.split.trainSubjects == 19)
        #expect(report.notes.contains { $0.hasPrefix("mortality: skipped") })
        #expect(report.retrieval.count == 4)
        #expect(report.markdown().contains("| sex | AUROC |"))
        let probes = try ProbeFile.load(ProbeFile.location(checkpoint: ckpt))
        #expect(probes.modelID == model.id)
        let p = try Prediction.predict(store: try RecordStore(url: url), probes: probes, segment: 3, mode: .ecg)
        #expect(p.outputs.map(\.task) == [.cvdECG, .hypertension, .age, .sex])
        #expect(p.outputs.first { $0.task == .sex }!.risk.map { $0 >= 0 && $0 <= 1 } == true)
        #expect(p.missing == ["cvd3-ppg", "mortality"])
        // Fingerprints of another model: a clear error.
        var other = probes; other.modelID = "other"
        #expect(throws: AnalyticsError.self) { try Prediction.predict(store: try RecordStore(url: url), probes: other, segment: 3, mode: .ecg) }
    }

    @Test func tooFewSubjectsForASplit() {
        #expect(throws: AnalyticsError("too few subjects (2) for a subject-level split: at least 3 are needed (2 to train, 1 to test)")) {
            try SubjectSplit(subjects: 2)
        }
        let s = try? SubjectSplit(subjects: 10)
        #expect(s?.test.count == 2 && Set(s!.train).isDisjoint(with: s!.test))
    }
}
