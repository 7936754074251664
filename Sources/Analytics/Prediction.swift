import Foundation
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

    /// Applies the heads of `probes` to segment `segment`'s `mode` fingerprint.
    public static func predict(store: RecordStore, probes: ProbeFile, segment: Int, mode: FingerprintMode) throws -> Prediction {
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
        let subject = store.subjects[Int(try store.subjectIndices(segment ..< segment + 1)[0])].id
        var p = Prediction(store: store.url.path, segment: segment, subject: subject, model: probes.modelID, mode: mode,
                           outputs: outputs, missing: missing)
        p.labelOutputs = labelOutputs(probes, x: x, mode: mode)
        return p
    }

    /// The prediction as text.
    public func table() -> String {
        var lines = ["segment \(segment) (subject \(subject)), \(mode.rawValue) fingerprint of model \(model)"]
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
