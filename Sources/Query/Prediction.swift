import Analytics
import Foundation
import Model
import Pipelines
import Store

/// Every task's output for one segment (`m2ae predict`): class probabilities, risks, age
/// and sex, from one fingerprint mode.
public struct Prediction: Sendable, Codable {
    /// One task's output.
    public struct Output: Sendable, Codable {
        public var task: DownstreamTask
        /// Class name → probability (classifiers).
        public var probabilities: [String: Float]?
        /// The most probable class (classifiers).
        public var predicted: String?
        /// P(yes) for hypertension and mortality, P(male) for sex.
        public var risk: Float?
        /// Predicted years (age).
        public var value: Float?
    }

    public var store: String
    public var segment: Int
    public var subject: String
    public var model: String
    public var mode: FingerprintMode
    public var outputs: [Output]
    /// Tasks without a head for this mode.
    public var missing: [String]
    /// The store's own labels' outputs (heads in the probes file's `labelHeads`); nil when it has none.
    public var labelOutputs: [LabelOutput]? = nil
    /// How close the fingerprint lies to the model's training data; nil: familiarity unknown
    /// (the probes file has no calibration for this mode).
    public var familiarity: Familiarity.Score?
    /// Where the heads' training labels came from ("generated", "recorded"), nil when unknown.
    public var labels: String?

    /// Applies the heads of `probes` to segment `segment`'s `mode` fingerprint.
    /// - Parameter model: the checkpoint's model, run for the masked-reconstruction half of the
    ///   familiarity check; nil judges by the fingerprint distance alone.
    public static func predict(store: RecordStore, probes: ProbeFile, segment: Int, mode: FingerprintMode,
                               model: M2AEModel? = nil) throws -> Prediction {
        guard store.modelIDs.contains(probes.modelID) else {
            throw AnalyticsError("\(store.url.path): no fingerprints of model '\(probes.modelID)', the model the heads were fitted for "
                                 + "(this store has \(store.modelIDs.isEmpty ? "none" : store.modelIDs.joined(separator: ", ")); run `m2ae embed`)")
        }
        let fp = try StoreFingerprints(store: store, model: probes.modelID, mode: mode)
        guard fp.dim == probes.dim else { throw AnalyticsError("\(store.url.path): fingerprints are \(fp.dim)-d, the heads expect \(probes.dim)-d") }
        guard segment >= 0, segment < store.segmentCount else {
            throw AnalyticsError("\(store.url.path): segment \(segment) is out of range (0..<\(store.segmentCount))")
        }
        let x = try fp.rows(segment ..< segment + 1)
        guard x.allSatisfy(\.isFinite) else {
            throw AnalyticsError("\(store.url.path): segment \(segment) has no \(mode.rawValue) fingerprint (modality absent?); try another --mode")
        }
        let (outputs, missing) = Self.outputs(x, probes: probes, mode: mode)
        let subject = store.subjects[Int(try store.subjectIndices(segment ..< segment + 1)[0])].id
        var p = Prediction(store: store.url.path, segment: segment, subject: subject, model: probes.modelID, mode: mode,
                           outputs: outputs, missing: missing,
                           familiarity: try familiarity(probes, x, mode: mode, store: store, range: segment ..< segment + 1, model: model)?[0],
                           labels: probes.labelSource)
        p.labelOutputs = labelOutputs(probes, x: x, mode: mode)
        return p
    }

    /// The familiarity of rows `range` (fingerprints `x`), with their masked-reconstruction
    /// error when `model` is given and the calibration has that half.
    static func familiarity(_ probes: ProbeFile, _ x: [Float], mode: FingerprintMode, store: RecordStore, range: Range<Int>,
                            model: M2AEModel?) throws -> [Familiarity.Score?]? {
        guard let f = probes.familiarity else { return nil }
        var errors: [Float?]?
        if let model, let rc = f.reconstruction {
            errors = try Familiarity.reconstructionErrors(store: store, rows: Array(range), model: model, maskSeed: rc.maskSeed)
        }
        return f.scores(x, mode: mode, reconstructionErrors: errors)
    }

    /// Every head's output for one fingerprint `x` (dim), and the tasks without a head for `mode`.
    public static func outputs(_ x: [Float], probes: ProbeFile, mode: FingerprintMode) -> (outputs: [Output], missing: [String]) {
        var outputs: [Output] = [], missing: [String] = []
        for task in DownstreamTask.allCases {
            guard let head = probes.heads[task.rawValue]?[mode.rawValue] else { missing.append(task.rawValue); continue }
            let y = head.predict(x)
            var o = Output(task: task)
            switch task {
            case .age: o.value = y[0]
            case .hypertension, .mortality, .sex: o.risk = y[1]
            case .cvdECG, .cvdPPG: break
            }
            if head.kind != .ridge {
                o.probabilities = Dictionary(uniqueKeysWithValues: zip(head.labels, y))
                o.predicted = head.labels[y.indices.max { y[$0] < y[$1] }!]
            }
            outputs.append(o)
        }
        return (outputs, missing)
    }

    /// The familiarity line of the text output.
    public static func familiarityText(_ score: Familiarity.Score?) -> String {
        guard let score else { return "familiarity unknown (the probes file has no calibration; run `m2ae calibrate`)" }
        return String(format: "familiarity %.2f (distance %.3f", score.familiarity, score.distance)
            + (score.reconstructionError.map { String(format: ", masked RMSE %.3f", $0) } ?? ", reconstruction not checked") + "): "
            + (score.reliable ? "reliable, like the model's training data" : "UNRELIABLE, outside the model's training data")
    }

    /// The note printed when the heads learned from generated labels only.
    public static let generatedLabelsNote = "probes fitted on generated labels only (synthetic cohort), not on recorded diagnoses"

    /// The prediction as text.
    public func table() -> String {
        var lines = ["segment \(segment) (subject \(subject)), \(mode.rawValue) fingerprint of model \(model)",
                     Self.familiarityText(familiarity)]
        if labels == "generated" { lines.append(Self.generatedLabelsNote) }
        for o in outputs {
            var text = o.task.title.padded(20)
            if let v = o.value { text += String(format: "%.1f", v) }
            if let p = o.probabilities, let best = o.predicted {
                let ordered = (o.task.classes ?? []).compactMap { c in p[c].map { c + String(format: " %.3f", $0) } }
                text += best + "  (" + ordered.joined(separator: ", ") + ")"
            }
            lines.append(text)
        }
        lines += labelLines
        if !missing.isEmpty { lines.append("no head for: " + missing.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}

extension Prediction {
    /// One segment's line of `m2ae predict --all` (docs/json.md).
    public struct Row: Sendable {
        public var segment: Int
        public var subject: String
        /// Empty when the segment has no fingerprint of the mode (modality absent).
        public var outputs: [Output]
        public var familiarity: Familiarity.Score?
    }

    /// Applies the heads to every segment of `store`, in blocks of `block` rows, calling `body`
    /// once per segment in order.
    /// - Complexity: O(segments · (heads + reference) · dim) time; memory O(block · dim), so
    ///   bounded for any store size.
    /// - Parameter model: as in `predict`; with it, every segment runs through the model once.
    public static func predictAll(store: RecordStore, probes: ProbeFile, mode: FingerprintMode, model: M2AEModel? = nil,
                                  block: Int = 1024, _ body: (Row) throws -> Void) throws {
        guard store.modelIDs.contains(probes.modelID) else {
            throw AnalyticsError("\(store.url.path): no fingerprints of model '\(probes.modelID)', the model the heads were fitted for "
                                 + "(this store has \(store.modelIDs.isEmpty ? "none" : store.modelIDs.joined(separator: ", ")); run `m2ae embed`)")
        }
        let fp = try StoreFingerprints(store: store, model: probes.modelID, mode: mode)
        guard fp.dim == probes.dim else { throw AnalyticsError("\(store.url.path): fingerprints are \(fp.dim)-d, the heads expect \(probes.dim)-d") }
        let dim = fp.dim
        var start = 0
        while start < store.segmentCount {
            let end = min(store.segmentCount, start + max(1, block))
            let x = try fp.rows(start ..< end)
            let subjects = try store.subjectIndices(start ..< end)
            let scores = try familiarity(probes, x, mode: mode, store: store, range: start ..< end, model: model)
            for r in 0 ..< (end - start) {
                let row = Array(x[r * dim ..< (r + 1) * dim])
                let finite = row.allSatisfy(\.isFinite)
                let si = Int(subjects[r])
                try body(Row(segment: start + r, subject: store.subjects.indices.contains(si) ? store.subjects[si].id : "",
                             outputs: finite ? outputs(row, probes: probes, mode: mode).outputs : [],
                             familiarity: finite ? scores?[r] : nil))
            }
            start = end
        }
    }
}
