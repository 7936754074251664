import Foundation
import Store

/// The probe heads fitted by `m2ae evaluate`, saved beside the checkpoint as
/// `<checkpoint>.probes.json` so that `m2ae predict` can apply them (schema in docs/analytics.md).
public struct ProbeFile: Sendable, Codable, Equatable {
    /// This file's format name and version; readers check both.
    public static let format = "m2ae-probes"
    public static let version = 1

    public var format: String = ProbeFile.format
    public var version: Int = ProbeFile.version
    /// The model whose fingerprints the heads read (the checkpoint's id).
    public var modelID: String
    /// Fingerprint width the heads expect.
    public var dim: Int
    /// The store the heads were fitted on, and its training subjects.
    public var trainedOn: String
    public var trainSubjects: Int
    /// task (DownstreamTask raw value) → fingerprint mode (raw value) → head.
    public var heads: [String: [String: ProbeHead]]
    /// Heads of the store's own labels (`/labels`): label name → fingerprint mode → head;
    /// absent when the evaluated store had none (older files have none).
    public var labelHeads: [String: [String: ProbeHead]]? = nil
    /// Where the heads' training labels came from: "generated" (a synthetic store, `m2ae synth`)
    /// or "recorded"; nil in files written before this was kept (unknown).
    public var labelSource: String?
    /// The familiarity calibration of the model's fingerprints; nil when none was computed
    /// (predictions are then marked "familiarity unknown").
    public var familiarity: Familiarity?

    /// True when the heads were fitted only on generated labels.
    public var labelsGenerated: Bool { labelSource == "generated" }

    /// "generated" when `store` was written by the generator, else "recorded".
    public static func labelSource(of store: RecordStore) -> String {
        (store.attributes["generator"] ?? "").hasPrefix("m2ae synth") ? "generated" : "recorded"
    }

    public init(modelID: String, dim: Int, trainedOn: String, trainSubjects: Int, heads: [String: [String: ProbeHead]],
                labelSource: String? = nil, familiarity: Familiarity? = nil) {
        self.modelID = modelID; self.dim = dim; self.trainedOn = trainedOn; self.trainSubjects = trainSubjects; self.heads = heads
        self.labelSource = labelSource; self.familiarity = familiarity
    }

    /// `<checkpoint>.probes.json`.
    public static func location(checkpoint: URL) -> URL { URL(fileURLWithPath: checkpoint.path + ".probes.json") }

    // MARK: - Reading and writing

    /// Writes the file atomically (temporary sibling, then rename).
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicReplace.write(try encoder.encode(self), to: url)
    }

    /// Reads and checks a probes file.
    public static func load(_ url: URL) throws -> ProbeFile {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw AnalyticsError("\(url.path): no probe heads (run `m2ae evaluate --train STORE --model CKPT` first)")
        }
        let file: ProbeFile
        do { file = try JSONDecoder().decode(ProbeFile.self, from: data) } catch {
            throw AnalyticsError("\(url.path): not a probes file (\(error.localizedDescription)); rerun `m2ae evaluate`")
        }
        guard file.format == format, file.version == version else {
            throw AnalyticsError("\(url.path): format \(file.format) v\(file.version), expected \(format) v\(version); rerun `m2ae evaluate`")
        }
        for (task, byMode) in Array(file.heads) + Array(file.labelHeads ?? [:]) {
            for (mode, head) in byMode where head.dim != file.dim || head.weights.count != head.bias.count * head.dim
                || head.mean.count != head.dim || head.scale.count != head.dim {
                throw AnalyticsError("\(url.path): the \(task)/\(mode) head is malformed (shapes disagree)")
            }
        }
        if let f = file.familiarity {
            guard f.method == Familiarity.methodName, f.k >= 1 else {
                throw AnalyticsError("\(url.path): familiarity method \(f.method) (k \(f.k)) is not \(Familiarity.methodName); rerun `m2ae calibrate`")
            }
            for (mode, r) in f.modes where r.dim != file.dim || r.rows.count % max(r.dim, 1) != 0 || r.count < f.k
                || r.calibration.isEmpty || !r.threshold.isFinite {
                throw AnalyticsError("\(url.path): the \(mode) familiarity reference is malformed (shapes disagree)")
            }
        }
        return file
    }
}
