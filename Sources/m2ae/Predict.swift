import Analytics
import ArgumentParser
import Foundation
import Model
import Query
import Store

extension M2AE {
    /// `m2ae predict`: Every downstream task's prediction for one segment, or for every segment.
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "predict",
            abstract: "Every downstream task's prediction for one segment, or for every segment (--all).",
            discussion: """
            Applies the probe heads that `m2ae evaluate` saved beside the checkpoint \
            (<CKPT>.probes.json) to the segment's fingerprint of the chosen mode, with its \
            familiarity: how close the fingerprint lies to the model's training data, and whether \
            it passes the calibrated check (`reliable`). A probes file without a calibration gives \
            "familiarity unknown" (run `m2ae calibrate`). --all streams one line per segment \
            (--json: JSON lines; --csv: a header and one row per segment) in bounded memory.
            """
        )

        @Argument(help: "The store (.h5).")
        var store: String
        @Option(help: "The segment's index.")
        var segment: Int?
        @Flag(help: "Every segment, streamed (needs --json or --csv).")
        var all = false
        @Option(name: .customLong("model"), help: "The checkpoint whose <CKPT>.probes.json holds the heads.")
        var checkpoint: String
        @Option(help: "Fingerprint mode: ecg+ppg, ecg or ppg.")
        var mode: FingerprintMode = .both
        @Flag(help: "Print JSON (one document; with --all, JSON lines; schema in docs/json.md).")
        var json = false
        @Flag(help: "With --all: print CSV (docs/json.md).")
        var csv = false
        @Flag(help: "Judge familiarity by the fingerprint distance alone (skips the model's masked reconstruction, a forward pass per segment).")
        var noReconstructionCheck = false

        func validate() throws {
            guard (segment != nil) != all else { throw ValidationError("give exactly one of --segment I and --all") }
            guard !(json && csv) else { throw ValidationError("give at most one of --json and --csv") }
            if all { guard json || csv else { throw ValidationError("--all needs --json (JSON lines) or --csv") } }
            if csv && !all { throw ValidationError("--csv goes with --all") }
        }

        func run() throws {
            do {
                let probes = try ProbeFile.load(ProbeFile.location(checkpoint: URL(fileURLWithPath: checkpoint)))
                let recordStore = try RecordStore(url: URL(fileURLWithPath: store))
                if let segment {
                    let p = try StoreQuery(store: recordStore).prediction(of: segment, probes: probes, mode: mode, model: try familiarityModel(probes))
                    if json { try printJSON(p) } else { print(p.table()) }
                    return
                }
                if probes.familiarity == nil { note("familiarity unknown: \(checkpoint).probes.json has no calibration (run `m2ae calibrate`)") }
                if probes.labelsGenerated { note(Prediction.generatedLabelsNote) }
                let model = try familiarityModel(probes)
                let out = BufferedOutput()
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                    try Prediction.predictAll(store: recordStore, probes: probes, mode: mode, model: model) { row in
                        out.write(try encoder.encode(JSONLine(row: row, model: probes.modelID, mode: mode, labels: probes.labelSource)))
                        out.write("\n")
                    }
                } else {
                    let columns = csvColumns(probes)
                    out.write((["segment", "subject", "familiarity", "distance", "reconstruction_error", "reliable", "labels"] + columns.map(\.name)).joined(separator: ",") + "\n")
                    try Prediction.predictAll(store: recordStore, probes: probes, mode: mode, model: model) { row in
                        out.write(csvLine(row, columns: columns, labels: probes.labelSource) + "\n")
                    }
                }
                out.flush()
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }

        /// The checkpoint's model when the calibration has a reconstruction half and it is not
        /// switched off; nil otherwise.
        private func familiarityModel(_ probes: ProbeFile) throws -> M2AEModel? {
            guard !noReconstructionCheck, probes.familiarity?.reconstruction != nil else { return nil }
            let model: M2AEModel
            do { model = try M2AEModel(checkpoint: URL(fileURLWithPath: checkpoint)) } catch { throw CLIError(String(describing: error)) }
            guard model.id == probes.modelID else {
                throw CLIError("\(checkpoint).probes.json: heads of model \(probes.modelID), not \(model.id) (the checkpoint); rerun `m2ae evaluate`")
            }
            return model
        }

        private func note(_ text: String) { FileHandle.standardError.write(Data(("predict: " + text + "\n").utf8)) }

        /// One JSON line of --all: nulls spelled out, so that "familiarity unknown" is never a missing key.
        struct JSONLine: Encodable {
            var row: Prediction.Row
            var model: String
            var mode: FingerprintMode
            var labels: String?
            enum Key: String, CodingKey { case segment, subject, model, mode, labels, familiarity, distance, reconstructionError, reliable, outputs }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(row.segment, forKey: .segment); try c.encode(row.subject, forKey: .subject)
                try c.encode(model, forKey: .model); try c.encode(mode, forKey: .mode); try c.encode(labels, forKey: .labels)
                try c.encode(row.familiarity?.familiarity, forKey: .familiarity)
                try c.encode(row.familiarity?.distance, forKey: .distance)
                try c.encode(row.familiarity?.reconstructionError, forKey: .reconstructionError)
                try c.encode(row.familiarity?.reliable, forKey: .reliable)
                try c.encode(row.outputs, forKey: .outputs)
            }
        }

        /// One CSV value column: its header and how to read it from a task's output.
        struct Column { var name: String; var task: DownstreamTask; var cell: (Prediction.Output) -> String? }

        private func csvColumns(_ probes: ProbeFile) -> [Column] {
            var out: [Column] = []
            for task in DownstreamTask.allCases {
                guard let head = probes.heads[task.rawValue]?[mode.rawValue] else { continue }
                switch head.kind {
                case .ridge: out.append(Column(name: task.rawValue, task: task) { $0.value.map(number) })
                case .logistic: out.append(Column(name: task.rawValue, task: task) { $0.risk.map(number) })
                case .multinomial:
                    out.append(Column(name: task.rawValue, task: task) { $0.predicted.map(csvField) })
                    for label in head.labels { out.append(Column(name: task.rawValue + ":" + label, task: task) { $0.probabilities?[label].map(number) }) }
                }
            }
            return out
        }

        private func csvLine(_ row: Prediction.Row, columns: [Column], labels: String?) -> String {
            let f = row.familiarity
            var cells = [String(row.segment), csvField(row.subject),
                         f.map { String(format: "%.4f", $0.familiarity) } ?? "", f.map { String(format: "%.5f", $0.distance) } ?? "", f?.reconstructionError.map { String(format: "%.4f", $0) } ?? "",
                         row.outputs.isEmpty ? "" : f.map { $0.reliable ? "true" : "false" } ?? "unknown", labels ?? "unknown"]
            for col in columns {
                guard let o = row.outputs.first(where: { $0.task == col.task }) else { cells.append(""); continue }
                cells.append(col.cell(o) ?? "")
            }
            return cells.joined(separator: ",")
        }
    }
}
