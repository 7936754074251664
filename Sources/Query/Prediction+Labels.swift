import Analytics
import Store

extension Prediction {
    /// One label task's output.
    public struct LabelOutput: Sendable, Codable {
        /// The label's name.
        public var label: String
        /// Class name → probability (binary, categorical).
        public var probabilities: [String: Float]?
        /// The most probable class (binary, categorical).
        public var predicted: String?
        /// The predicted number (numeric labels).
        public var value: Float?
    }

    /// The label heads of `probes` for `mode` applied to the fingerprint `x`, in name order.
    static func labelOutputs(_ probes: ProbeFile, x: [Float], mode: FingerprintMode) -> [LabelOutput]? {
        guard let heads = probes.labelHeads else { return nil }
        return heads.keys.sorted().compactMap { name in
            guard let head = heads[name]?[mode.rawValue] else { return nil }
            let y = head.predict(x)
            guard head.kind != .ridge else { return LabelOutput(label: name, value: y[0]) }
            return LabelOutput(label: name, probabilities: Dictionary(uniqueKeysWithValues: zip(head.labels, y)),
                               predicted: head.labels[y.indices.max { y[$0] < y[$1] }!])
        }
    }

    /// The label outputs as table lines (class probabilities in class-name order).
    var labelLines: [String] {
        (labelOutputs ?? []).map { o in
            var text = o.label.padded(20)
            if let v = o.value { text += String(format: "%.3g", v) }
            if let p = o.probabilities, let best = o.predicted {
                text += best + "  (" + p.sorted { $0.key < $1.key }.map { $0.key + String(format: " %.3f", $0.value) }.joined(separator: ", ") + ")"
            }
            return text
        }
    }
}
