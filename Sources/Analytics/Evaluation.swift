import Foundation
import Store

/// One set of features for every segment of the train and the test side: a fingerprint
/// mode, the hand-crafted features or the random model's fingerprints.
public struct Representation: Sendable {
    public var name: String
    public var dim: Int
    /// (nTrain, dim) and (nTest, dim); rows with a NaN are left out of that representation.
    public var train: [Float]
    public var test: [Float]
    /// The fingerprint mode, when this is one of the evaluated model's fingerprints (its
    /// heads are saved for `m2ae predict`).
    public var mode: FingerprintMode?

    public init(name: String, dim: Int, train: [Float], test: [Float], mode: FingerprintMode? = nil) {
        self.name = name; self.dim = dim; self.train = train; self.test = test; self.mode = mode
    }
}

/// The segments of one side of the split: each segment's subject (index into `subjects`).
public struct SplitSide: Sendable {
    public var subjects: [Subject]
    /// (n) subject index of each segment.
    public var segmentSubjects: [Int32]
    public init(subjects: [Subject], segmentSubjects: [Int32]) { self.subjects = subjects; self.segmentSubjects = segmentSubjects }
}

/// The seven-task evaluation: linear probes fitted on the train side (regularisation by
/// cross-validation over subjects) and scored on the test side with bootstrap confidence
/// intervals over test subjects; plus re-identification and cross-modal retrieval.
public struct Evaluation: Sendable {
    public var replicates = 1000
    public var seed: UInt64 = 2024
    /// The built-in tasks `run` probes.
    public var builtInTasks = DownstreamTask.allCases
    public init(replicates: Int = 1000, seed: UInt64 = 2024) { self.replicates = replicates; self.seed = seed }

    // MARK: - API

    /// Runs every task for every representation.
    /// - Returns: the table rows, task-level notes, and the heads fitted on the evaluated
    ///   model's fingerprint modes (task → mode → head).
    public func run(train: SplitSide, test: SplitSide, representations: [Representation],
                    progress: (String) -> Void = { _ in }) -> (rows: [EvaluationRow], notes: [String], heads: [String: [String: ProbeHead]]) {
        var rows: [EvaluationRow] = [], notes: [String] = [], heads: [String: [String: ProbeHead]] = [:]
        for task in builtInTasks {
            let ytr = train.segmentSubjects.map { task.label(train.subjects[Int($0)].labels) }
            let yte = test.segmentSubjects.map { task.label(test.subjects[Int($0)].labels) }
            if let reason = skipReason(task, ytr, yte) { notes.append("\(task.title): skipped, \(reason)"); continue }
            for rep in representations {
                progress("\(task.rawValue) · \(rep.name)")
                let trainIdx = usable(ytr, rep.train, rep.dim), testIdx = usable(yte, rep.test, rep.dim)
                func row(_ metric: MetricName, _ e: Estimate?, _ note: String?) -> EvaluationRow {
                    EvaluationRow(task: task, representation: rep.name, metric: metric, estimate: e, trainSegments: trainIdx.count,
                                  testSegments: testIdx.count, note: note)
                }
                let ytrain = trainIdx.map { ytr[$0]! }
                let trainGroups = trainIdx.map { train.segmentSubjects[$0] }
                do {
                    guard !testIdx.isEmpty else { throw AnalyticsError("no labelled test segment with a finite \(rep.name) vector") }
                    let (head, _) = try LinearProbe.fitCV(LinearProbe.rows(rep.train, dim: rep.dim, trainIdx), dim: rep.dim,
                                                          target: task.target(ytrain), groups: trainGroups, seed: seed)
                    if let mode = rep.mode { heads[task.rawValue, default: [:]][mode.rawValue] = head }
                    let out = head.predict(LinearProbe.rows(rep.test, dim: rep.dim, testIdx))
                    let y = testIdx.map { yte[$0]! }, groups = testIdx.map { test.segmentSubjects[$0] }
                    for metric in task.metrics {
                        let e = Bootstrap.estimate(groups: groups, replicates: replicates, seed: seed) {
                            metric.compute($0, y: y, out: out, width: head.outputs)
                        }
                        rows.append(row(metric, e, e == nil ? undefinedReason(task, y) : nil))
                    }
                } catch {
                    for metric in task.metrics { rows.append(row(metric, nil, String(describing: error))) }
                }
            }
        }
        return (rows, notes, heads)
    }

    /// Top-1 re-identification: each test segment whose subject has another test segment
    /// finds its nearest other segment; correct when that is the same subject.
    public func reidentification(_ rep: Representation, test: SplitSide) throws -> EvaluationRow {
        let finite = usable(test.segmentSubjects.map { _ in 0 }, rep.test, rep.dim)
        var perSubject = [Int32: Int]()
        for i in finite { perSubject[test.segmentSubjects[i], default: 0] += 1 }
        let queries = finite.filter { perSubject[test.segmentSubjects[$0]]! >= 2 }
        guard !queries.isEmpty else {
            return EvaluationRow(task: nil, representation: rep.name, metric: .top1, estimate: nil, trainSegments: 0, testSegments: 0,
                                 note: "no test subject has two segments")
        }
        let base = LinearProbe.rows(rep.test, dim: rep.dim, finite)
        let q = LinearProbe.rows(rep.test, dim: rep.dim, queries)
        let position = Dictionary(uniqueKeysWithValues: finite.enumerated().map { ($1, $0) })
        let hits = try ExactSearch().search(queries: q, base: InMemoryRows(base, dim: rep.dim), k: 1,
                                            exclusion: Exclusion(queryRows: queries.map { position[$0]! }))
        let correct = zip(queries, hits).map { qi, h -> Float in
            h.first.map { test.segmentSubjects[finite[$0.index]] == test.segmentSubjects[qi] ? 1 : 0 } ?? 0
        }
        let groups = queries.map { test.segmentSubjects[$0] }
        let e = Bootstrap.estimate(groups: groups, replicates: replicates, seed: seed) { MetricName.top1.compute($0, y: correct, out: [], width: 0) }
        return EvaluationRow(task: nil, representation: rep.name, metric: .top1, estimate: e, trainSegments: 0, testSegments: queries.count,
                             note: "re-identification among \(finite.count) test segments of \(perSubject.count) subjects")
    }

    /// Top-1 cross-modal retrieval: each test segment's ECG fingerprint finds the nearest PPG
    /// fingerprint among all test segments; correct when it is the same segment's.
    public func crossModalRetrieval(ecg: Representation, ppg: Representation, test: SplitSide) throws -> EvaluationRow {
        let zeros = test.segmentSubjects.map { _ in Float(0) }
        let both = Set(usable(zeros, ecg.test, ecg.dim)).intersection(usable(zeros, ppg.test, ppg.dim)).sorted()
        guard both.count >= 2 else {
            return EvaluationRow(task: nil, representation: "ECG → PPG", metric: .top1, estimate: nil, trainSegments: 0, testSegments: both.count,
                                 note: "fewer than 2 test segments have both fingerprints")
        }
        let hits = try ExactSearch().search(queries: LinearProbe.rows(ecg.test, dim: ecg.dim, both),
                                            base: InMemoryRows(LinearProbe.rows(ppg.test, dim: ppg.dim, both), dim: ppg.dim), k: 1)
        let correct = hits.enumerated().map { i, h -> Float in h.first?.index == i ? 1 : 0 }
        let groups = both.map { test.segmentSubjects[$0] }
        let e = Bootstrap.estimate(groups: groups, replicates: replicates, seed: seed) { MetricName.top1.compute($0, y: correct, out: [], width: 0) }
        return EvaluationRow(task: nil, representation: "ECG → PPG", metric: .top1, estimate: e, trainSegments: 0, testSegments: both.count,
                             note: "retrieval among \(both.count) test segments (chance \(String(format: "%.4f", 1 / Double(both.count))))")
    }

    // MARK: - Internal API

    /// Indices of segments with a label and a finite feature row.
    func usable<T>(_ y: [T?], _ x: [Float], _ dim: Int) -> [Int] {
        y.indices.filter { i in y[i] != nil && (0..<dim).allSatisfy { x[i * dim + $0].isFinite } }
    }

    func skipReason(_ task: DownstreamTask, _ ytr: [Float?], _ yte: [Float?]) -> String? {
        let a = ytr.compactMap { $0 }, b = yte.compactMap { $0 }
        if a.isEmpty { return "no labels in the training store" }
        if b.isEmpty { return "no labels in the test store" }
        if let classes = task.classes {
            let present = Set(a.map { Int($0) })
            if present.count < 2 { return "only one class (\(classes[present.first!])) in the training labels" }
        }
        return nil
    }

    func undefinedReason(_ task: DownstreamTask, _ y: [Float]) -> String {
        guard let classes = task.classes else { return "undefined on the test labels (constant?)" }
        let present = Set(y.map { Int($0) })
        let absent = classes.indices.filter { !present.contains($0) }.map { classes[$0] }
        return absent.isEmpty ? "undefined on the test labels" : "test labels lack class(es) \(absent.joined(separator: ", "))"
    }
}

/// One cell group of the evaluation table: a task (nil for retrieval rows), a representation, a metric.
public struct EvaluationRow: Sendable, Codable {
    public var task: DownstreamTask?
    public var representation: String
    public var metric: MetricName
    /// nil when the metric could not be computed (`note` says why).
    public var estimate: Estimate?
    public var trainSegments: Int
    public var testSegments: Int
    public var note: String?
    /// The label of the store's label table this row probes (nil for built-in tasks and retrieval).
    public var label: String? = nil
}
