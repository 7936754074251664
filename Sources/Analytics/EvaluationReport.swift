import Foundation

/// The result of `m2ae evaluate` (its `--json` schema; docs/analytics.md): how the data was
/// split, every task × representation × metric with its interval, and retrieval rows.
public struct EvaluationReport: Sendable, Codable {
    /// Where train and test came from.
    public struct Split: Sendable, Codable {
        /// "stores" (two stores) or "fixed-subject-split" (one store).
        public var kind: String
        public var trainStore: String
        public var testStore: String
        public var trainSubjects: Int
        public var testSubjects: Int
        public var trainSegments: Int
        public var testSegments: Int
        /// Seed and held-out subject ids of the fixed split (one store only).
        public var seed: UInt64?
        public var testSubjectIDs: [String]?

        package init(kind: String, trainStore: String, testStore: String, trainSubjects: Int, testSubjects: Int,
                     trainSegments: Int, testSegments: Int, seed: UInt64? = nil, testSubjectIDs: [String]? = nil) {
            self.kind = kind; self.trainStore = trainStore; self.testStore = testStore
            self.trainSubjects = trainSubjects; self.testSubjects = testSubjects
            self.trainSegments = trainSegments; self.testSegments = testSegments
            self.seed = seed; self.testSubjectIDs = testSubjectIDs
        }
    }

    public var model: String
    public var split: Split
    public var representations: [String]
    public var rows: [EvaluationRow]
    public var retrieval: [EvaluationRow]
    public var notes: [String]
    public var bootstrapReplicates: Int
    /// Where the fitted heads were saved.
    public var probesFile: String?
    public var seconds: Double

    public init(model: String, split: Split, representations: [String], rows: [EvaluationRow], retrieval: [EvaluationRow],
                notes: [String], bootstrapReplicates: Int, probesFile: String?, seconds: Double) {
        self.model = model; self.split = split; self.representations = representations; self.rows = rows
        self.retrieval = retrieval; self.notes = notes; self.bootstrapReplicates = bootstrapReplicates
        self.probesFile = probesFile; self.seconds = seconds
    }

    // MARK: - Rendering

    /// "0.874 [0.851, 0.897]", or "—" when undefined.
    static func cell(_ e: Estimate?) -> String {
        guard let e else { return "—" }
        return String(format: "%.3f [%.3f, %.3f]", e.value, e.lower, e.upper)
    }

    /// The split in one line.
    public var splitLine: String {
        switch split.kind {
        case "stores":
            return "train \(split.trainStore) (\(split.trainSubjects) subjects, \(split.trainSegments) segments) · test \(split.testStore) (\(split.testSubjects) subjects, \(split.testSegments) segments)"
        default:
            return "fixed subject split of \(split.trainStore) (seed \(split.seed ?? 0)): train \(split.trainSubjects) subjects / \(split.trainSegments) segments, test \(split.testSubjects) subjects / \(split.testSegments) segments: "
                + (split.testSubjectIDs ?? []).joined(separator: ", ")
        }
    }

    /// The table as Markdown: one row per task and metric, one column per representation.
    public func markdown() -> String {
        var out = ["# M2AE evaluation — model \(model)", "", splitLine, "",
                   "Linear probes on frozen features; 95 % intervals from \(bootstrapReplicates) bootstrap resamples of test subjects.", ""]
        out.append("| task | metric | " + representations.joined(separator: " | ") + " |")
        out.append("|---|---|" + String(repeating: "---|", count: representations.count))
        for task in DownstreamTask.allCases {
            for metric in task.metrics {
                let cells = representations.map { r in rows.first { $0.task == task && $0.metric == metric && $0.representation == r } }
                guard cells.contains(where: { $0 != nil }) else { continue }
                out.append("| \(task.title) | \(metric.rawValue) | " + cells.map { Self.cell($0?.estimate) }.joined(separator: " | ") + " |")
            }
        }
        for r in labelTableRows {
            out.append("| \(r.label) | \(r.metric.rawValue) | " + r.cells.map { Self.cell($0?.estimate) }.joined(separator: " | ") + " |")
        }
        if !retrieval.isEmpty {
            out += ["", "| retrieval | features | top-1 | note |", "|---|---|---|---|"]
            for r in retrieval {
                let kind = r.representation == "ECG → PPG" ? "cross-modal ECG → PPG" : "subject re-identification"
                out.append("| \(kind) | \(r.representation) | \(Self.cell(r.estimate)) | \(r.note ?? "") |")
            }
        }
        let problems = rows.filter { $0.estimate == nil && $0.note != nil }
        if !notes.isEmpty || !problems.isEmpty {
            out += ["", "Notes:"]
            out += notes.map { "- " + $0 }
            out += problems.map { "- \(Self.title($0)) · \($0.representation) · \($0.metric.rawValue): \($0.note!)" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The table as plain text for the terminal.
    public func table() -> String {
        let width = 24
        var out = [splitLine, ""]
        out.append("task".padded(20) + "metric".padded(12) + representations.map { $0.padded(width) }.joined())
        for task in DownstreamTask.allCases {
            for metric in task.metrics {
                let cells = representations.map { r in rows.first { $0.task == task && $0.metric == metric && $0.representation == r } }
                guard cells.contains(where: { $0 != nil }) else { continue }
                out.append(task.title.padded(20) + metric.rawValue.padded(12) + cells.map { Self.cell($0?.estimate).padded(width) }.joined())
            }
        }
        for r in labelTableRows {
            out.append(r.label.padded(20) + r.metric.rawValue.padded(12) + r.cells.map { Self.cell($0?.estimate).padded(width) }.joined())
        }
        for r in retrieval {
            out.append((r.representation == "ECG → PPG" ? "ECG → PPG retrieval" : "re-identification").padded(20)
                       + "top-1".padded(12) + r.representation.padded(width) + Self.cell(r.estimate))
        }
        out += notes
        out += rows.filter { $0.estimate == nil && $0.note != nil }.map { "\(Self.title($0)) · \($0.representation) · \($0.metric.rawValue): \($0.note!)" }
        return out.joined(separator: "\n")
    }
}
