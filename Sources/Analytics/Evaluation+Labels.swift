import Foundation
import Store

extension Evaluation {
    /// Fits and scores one probe per label task and representation, exactly as `run` does for
    /// the built-in tasks: the same subject-grouped cross-validation, the same bootstrap over
    /// test subjects.
    ///
    /// - Parameters:
    ///   - ytrain, ytest: per task, one value per segment of that side (nil when missing).
    /// - Returns: the rows (their `label` set), notes on skipped tasks, and the heads fitted
    ///   on the evaluated model's fingerprint modes (label name → mode → head).
    public func runLabels(_ tasks: [LabelTask], ytrain: [[Float?]], ytest: [[Float?]], train: SplitSide, test: SplitSide,
                          representations: [Representation], progress: (String) -> Void = { _ in })
        -> (rows: [EvaluationRow], notes: [String], heads: [String: [String: ProbeHead]]) {
        var rows: [EvaluationRow] = [], notes: [String] = [], heads: [String: [String: ProbeHead]] = [:]
        for (t, task) in tasks.enumerated() {
            let ytr = ytrain[t], yte = ytest[t]
            if let reason = Self.skipReason(task, ytr, yte) { notes.append("\(task.name): skipped, \(reason)"); continue }
            for rep in representations {
                progress("\(task.name) · \(rep.name)")
                let trainIdx = usable(ytr, rep.train, rep.dim), testIdx = usable(yte, rep.test, rep.dim)
                func row(_ metric: MetricName, _ e: Estimate?, _ note: String?) -> EvaluationRow {
                    var r = EvaluationRow(task: nil, representation: rep.name, metric: metric, estimate: e, trainSegments: trainIdx.count,
                                          testSegments: testIdx.count, note: note)
                    r.label = task.name
                    return r
                }
                do {
                    guard !testIdx.isEmpty else { throw AnalyticsError("no labelled test segment with a finite \(rep.name) vector") }
                    let (head, _) = try LinearProbe.fitCV(LinearProbe.rows(rep.train, dim: rep.dim, trainIdx), dim: rep.dim,
                                                          target: task.target(trainIdx.map { ytr[$0]! }),
                                                          groups: trainIdx.map { train.segmentSubjects[$0] }, seed: seed)
                    if let mode = rep.mode { heads[task.name, default: [:]][mode.rawValue] = head }
                    let out = head.predict(LinearProbe.rows(rep.test, dim: rep.dim, testIdx))
                    let y = testIdx.map { yte[$0]! }, groups = testIdx.map { test.segmentSubjects[$0] }
                    for metric in task.metrics {
                        let e = Bootstrap.estimate(groups: groups, replicates: replicates, seed: seed) {
                            metric.compute($0, y: y, out: out, width: head.outputs)
                        }
                        rows.append(row(metric, e, e == nil ? Self.undefinedReason(task, y) : nil))
                    }
                } catch {
                    for metric in task.metrics { rows.append(row(metric, nil, String(describing: error))) }
                }
            }
        }
        return (rows, notes, heads)
    }

    /// Why a label task cannot be probed at all, or nil.
    package static func skipReason(_ task: LabelTask, _ ytr: [Float?], _ yte: [Float?]) -> String? {
        let a = ytr.compactMap { $0 }, b = yte.compactMap { $0 }
        if a.isEmpty { return "no values among the training segments" }
        if b.isEmpty { return "no values among the test segments" }
        if task.kind != .numeric {
            let present = Set(a.map { Int($0) })
            if present.count < 2 { return "only one class (\(task.classes[present.first!])) among the training segments; a probe needs two" }
        } else if Set(a).count < 2 {
            return "one value (\(a[0])) on every training segment"
        }
        return nil
    }

    static func undefinedReason(_ task: LabelTask, _ y: [Float]) -> String {
        guard task.kind != .numeric else { return "undefined on the test values (constant?)" }
        let present = Set(y.map { Int($0) })
        let absent = task.classes.indices.filter { !present.contains($0) }.map { task.classes[$0] }
        return absent.isEmpty ? "undefined on the test labels" : "test labels lack class(es) \(absent.joined(separator: ", "))"
    }
}
