import Analytics
import Foundation
import Model
import Store

/// What `m2ae evaluate` runs: reads the stores and the checkpoint, splits by subject,
/// gathers every representation, runs `Evaluation`, and saves the heads beside the checkpoint.
public struct EvaluationRunner {
    public var train: URL
    public var test: URL?
    public var checkpoint: URL
    public var replicates = 1000
    public var seed: UInt64 = 2024
    /// Seed of the randomly initialised baseline model.
    public var randomSeed: UInt64 = 0
    /// Include the randomly initialised model (embeds the stores with it when they lack its fingerprints).
    public var randomBaseline = true
    /// Include the hand-crafted-feature baseline (`HandcraftedMatrix`, computed from the signals).
    public var handcraftedBaseline = true
    /// The tasks to probe, by name (built-in tasks' names, e.g. `hypertension`, or labels of the
    /// store's label table); nil probes every built-in task and every label present.
    public var tasks: [String]? = nil

    public init(train: URL, test: URL?, checkpoint: URL) { self.train = train; self.test = test; self.checkpoint = checkpoint }

    // MARK: - API

    /// Runs the evaluation.
    /// - Parameter log: progress and notes for standard error.
    public func run(log: (String) -> Void = { _ in }) throws -> EvaluationReport {
        let started = Date()
        let model: M2AEModel
        do { model = try M2AEModel(checkpoint: checkpoint) } catch { throw AnalyticsError(String(describing: error)) }
        let trainStore = try RecordStore(url: train)
        let testStore = try test.map { try RecordStore(url: $0) }
        for s in [trainStore] + (testStore.map { [$0] } ?? []) where !s.modelIDs.contains(model.id) {
            throw AnalyticsError("\(s.url.path): no fingerprints of model '\(model.id)' from \(checkpoint.path) "
                                 + "(fingerprints here are of: \(s.modelIDs.isEmpty ? "no model" : s.modelIDs.joined(separator: ", "))); "
                                 + "run `m2ae embed \(s.url.path) --model \(checkpoint.path)`")
        }
        // Split by subject.
        let trainSubjectsAll = try StoreFingerprints.subjects(trainStore)
        var trainRows: [Int], testRows: [Int], split: EvaluationReport.Split
        if let testStore {
            trainRows = Array(0..<trainStore.segmentCount); testRows = Array(0..<testStore.segmentCount)
            split = .init(kind: "stores", trainStore: train.path, testStore: testStore.url.path,
                          trainSubjects: Set(trainSubjectsAll).count, testSubjects: Set(try StoreFingerprints.subjects(testStore)).count,
                          trainSegments: trainRows.count, testSegments: testRows.count)
            guard split.trainSubjects >= 2 else { throw AnalyticsError("\(train.path): too few subjects (\(split.trainSubjects)) to cross-validate; at least 2 are needed") }
        } else {
            let present = Array(Set(trainSubjectsAll)).sorted()
            let s = try SubjectSplit(subjects: present.count, seed: seed)
            let testSet = Set(s.test.map { present[$0] })
            trainRows = trainSubjectsAll.indices.filter { !testSet.contains(trainSubjectsAll[$0]) }
            testRows = trainSubjectsAll.indices.filter { testSet.contains(trainSubjectsAll[$0]) }
            split = .init(kind: "fixed-subject-split", trainStore: train.path, testStore: train.path, trainSubjects: s.train.count,
                          testSubjects: s.test.count, trainSegments: trainRows.count, testSegments: testRows.count, seed: seed,
                          testSubjectIDs: s.test.map { trainStore.subjects[Int(present[$0])].id })
        }
        let testSource = testStore ?? trainStore
        let testSubjectsAll = testStore == nil ? trainSubjectsAll : try StoreFingerprints.subjects(testSource)
        let trainSide = SplitSide(subjects: trainStore.subjects, segmentSubjects: trainRows.map { trainSubjectsAll[$0] })
        let testSide = SplitSide(subjects: testSource.subjects, segmentSubjects: testRows.map { testSubjectsAll[$0] })

        let (builtIn, labelTasks) = try chooseTasks(trainStore)
        let labelValues = try labelValues(labelTasks, trainStore: trainStore, testStore: testSource, trainRows: trainRows, testRows: testRows,
                                          trainSubjects: trainSubjectsAll, testSubjects: testSubjectsAll)

        // Representations.
        func matrix(_ store: RecordStore, _ id: String, _ mode: FingerprintMode, _ rows: [Int]) throws -> (dim: Int, values: [Float]) {
            let fp = try StoreFingerprints(store: store, model: id, mode: mode)
            return (fp.dim, try Self.gather(fp, rows))
        }
        var reps: [Representation] = []
        let names: [FingerprintMode: String] = [.both: "ECG+PPG", .ecg: "ECG", .ppg: "PPG"]
        for mode in FingerprintMode.allCases {
            let a = try matrix(trainStore, model.id, mode, trainRows), b = try matrix(testSource, model.id, mode, testRows)
            reps.append(Representation(name: names[mode]!, dim: a.dim, train: a.values, test: b.values, mode: mode))
        }
        let waveforms = trainStore.hasWaveforms && testSource.hasWaveforms
        var extraNotes: [String] = []
        if !waveforms && (handcraftedBaseline || randomBaseline) {
            extraNotes.append("no waveforms (a fingerprint-only export): the hand-crafted and random-init baselines need the signals and are left out")
        }
        if handcraftedBaseline && waveforms {
            log("computing hand-crafted features of \(train.path)")
            let d = HandcraftedMatrix.dim
            let a = try HandcraftedMatrix.compute(trainStore)
            let b = testStore == nil ? a : try HandcraftedMatrix.compute(testSource)
            var tr = LinearProbe.rows(a, dim: d, trainRows), te = LinearProbe.rows(b, dim: d, testRows)
            HandcraftedMatrix.impute(train: &tr, test: &te, dim: d)
            reps.append(Representation(name: "hand-crafted", dim: d, train: tr, test: te))
        }
        if randomBaseline && waveforms {
            let random = try M2AEModel.random(config: model.config, seed: randomSeed)
            if random.id == model.id {
                extraNotes.append("random init: the evaluated checkpoint is itself the seed-\(randomSeed) random initialisation, so the two columns agree")
            }
            for s in [trainStore] + (testStore.map { [$0] } ?? []) where !s.modelIDs.contains(random.id) {
                log("embedding \(s.url.path) with the randomly initialised model \(random.id) (seed \(randomSeed))")
                _ = try Embedder(model: random, threads: ProcessInfo.processInfo.activeProcessorCount).run(store: s.url)
            }
            let reTrain = try RecordStore(url: train), reTest = try testStore.map { _ in try RecordStore(url: test!) } ?? reTrain
            let a = try matrix(reTrain, random.id, .both, trainRows), b = try matrix(reTest, random.id, .both, testRows)
            reps.append(Representation(name: "random init", dim: a.dim, train: a.values, test: b.values))
        }

        // Probes, retrieval.
        var evaluation = Evaluation(replicates: replicates, seed: seed)
        evaluation.builtInTasks = builtIn
        let (builtInRows, builtInNotes, heads) = evaluation.run(train: trainSide, test: testSide, representations: reps) { log("probe " + $0) }
        let (labelRows, labelNotes, labelHeads) = evaluation.runLabels(labelTasks, ytrain: labelValues.train, ytest: labelValues.test,
                                                                       train: trainSide, test: testSide, representations: reps) { log("probe " + $0) }
        let rows = builtInRows + labelRows, notes = builtInNotes + labelNotes
        var retrieval: [EvaluationRow] = []
        for rep in reps where rep.mode != nil { retrieval.append(try evaluation.reidentification(rep, test: testSide)) }
        if let ecg = reps.first(where: { $0.mode == .ecg }), let ppg = reps.first(where: { $0.mode == .ppg }) {
            retrieval.append(try evaluation.crossModalRetrieval(ecg: ecg, ppg: ppg, test: testSide))
        }
        var probesPath: String?
        if !heads.isEmpty || !labelHeads.isEmpty {
            let url = ProbeFile.location(checkpoint: checkpoint)
            var familiarity: Familiarity?
            do {
                log("calibrating the familiarity check on held-out subjects of \(train.path)")
                familiarity = try Familiarity.calibrate(store: trainStore, modelID: model.id, model: model, seed: seed)
            } catch {
                extraNotes.append("familiarity not calibrated (predictions will say \"familiarity unknown\"): \(error)")
            }
            var file = ProbeFile(modelID: model.id, dim: model.config.fingerprintDim, trainedOn: train.path,
                                 trainSubjects: split.trainSubjects, heads: heads, labelSource: ProbeFile.labelSource(of: trainStore),
                                 familiarity: familiarity)
            file.labelHeads = labelHeads.isEmpty ? nil : labelHeads
            try file.save(to: url)
            probesPath = url.path
        }
        return EvaluationReport(model: model.id, split: split, representations: reps.map(\.name), rows: rows, retrieval: retrieval,
                                notes: extraNotes + notes, bootstrapReplicates: replicates, probesFile: probesPath,
                                seconds: Date().timeIntervalSince(started))
    }

    /// The fingerprint rows `rows` (ascending), read in slices: (rows.count, dim).
    static func gather(_ fp: StoreFingerprints, _ rows: [Int]) throws -> [Float] {
        var out = [Float](); out.reserveCapacity(rows.count * fp.dim)
        var i = 0
        while i < rows.count {
            let lo = rows[i], hi = min(fp.rowCount, lo + 8192)
            let block = try fp.rows(lo ..< hi)
            while i < rows.count && rows[i] < hi {
                let r = rows[i] - lo
                out.append(contentsOf: block[r * fp.dim ..< (r + 1) * fp.dim]); i += 1
            }
        }
        return out
    }
}
