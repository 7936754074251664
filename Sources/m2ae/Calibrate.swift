import Analytics
import ArgumentParser
import Foundation
import Model
import Pipelines
import Store

extension M2AE {
    /// `m2ae calibrate`: The familiarity calibration of a model, saved in its probes file.
    struct Calibrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calibrate",
            abstract: "Calibrate the familiarity check of a model on in-domain stores.",
            discussion: """
            Splits each store's subjects as `m2ae evaluate` does: a random sample of 256 training-side \
            fingerprints per mode (shared equally between the stores) becomes the reference, and the \
            held-out subjects' distances and masked-reconstruction errors set the thresholds that 95 % \
            of each store's held-out segments pass. Give one store per source the model was trained \
            on (e.g. generated people and recorded people), so the check is in-domain for each. The \
            result is written into <CKPT>.probes.json (created without heads when absent); its probe \
            heads are kept. `m2ae evaluate` does the same on its training store while it fits the \
            heads. Every store must hold the checkpoint's fingerprints (`m2ae embed`).
            """
        )

        @Argument(help: "In-domain stores (.h5) holding the model's fingerprints, one per training source.")
        var stores: [String]
        @Option(name: .customLong("model"), help: "The checkpoint (.safetensors).")
        var checkpoint: String
        @Option(help: "Seed of the subject split and of the reference sample.")
        var seed: UInt64 = 2024
        @Option(help: "Where the heads' labels came from, when the probes file does not say: generated or recorded.")
        var probeLabels: String?
        @Flag(help: "Print the calibration summary as JSON (docs/json.md).")
        var json = false

        /// What `--json` prints.
        struct Summary: Encodable {
            var model: String
            var probesFile: String
            var calibratedOn: String
            var k: Int
            var coverage: Double
            var modes: [String: ModeSummary]
            var reconstruction: ModeSummary?
            var heldOutPass: Double?
            var heldOutPassByStore: [String: Double]?
        }
        struct ModeSummary: Encodable { var reference: Int; var calibration: Int; var threshold: Float }

        func validate() throws {
            guard !stores.isEmpty else { throw ValidationError("give at least one store") }
            if let probeLabels, !["generated", "recorded"].contains(probeLabels) {
                throw ValidationError("--probe-labels must be generated or recorded, not '\(probeLabels)'")
            }
        }

        func run() throws {
            do {
                let url = URL(fileURLWithPath: checkpoint)
                let model: M2AEModel
                do { model = try M2AEModel(checkpoint: url) } catch { throw CLIError(String(describing: error)) }
                var recordStores: [RecordStore] = []
                for store in stores {
                    let recordStore = try RecordStore(url: URL(fileURLWithPath: store))
                    guard recordStore.modelIDs.contains(model.id) else {
                        throw CLIError("\(store): no fingerprints of model '\(model.id)' from \(checkpoint); run `m2ae embed \(store) --model \(checkpoint)`")
                    }
                    recordStores.append(recordStore)
                }
                let familiarity = try Familiarity.calibrate(stores: recordStores, modelID: model.id, model: model, seed: seed)
                let probesURL = ProbeFile.location(checkpoint: url)
                var file = FileManager.default.fileExists(atPath: probesURL.path)
                    ? try ProbeFile.load(probesURL)
                    : ProbeFile(modelID: model.id, dim: model.config.fingerprintDim, trainedOn: "", trainSubjects: 0, heads: [:])
                guard file.modelID == model.id else {
                    throw CLIError("\(probesURL.path): heads of model \(file.modelID), not \(model.id); rerun `m2ae evaluate`")
                }
                file.familiarity = familiarity
                if let probeLabels { file.labelSource = probeLabels }
                try file.save(to: probesURL)
                let summary = Summary(model: model.id, probesFile: probesURL.path, calibratedOn: familiarity.calibratedOn,
                                      k: familiarity.k, coverage: familiarity.coverage,
                                      modes: familiarity.modes.mapValues { ModeSummary(reference: $0.count, calibration: $0.calibration.count, threshold: $0.threshold) },
                                      reconstruction: familiarity.reconstruction.map { ModeSummary(reference: 0, calibration: $0.calibration.count, threshold: $0.threshold) },
                                      heldOutPass: familiarity.heldOutPass, heldOutPassByStore: familiarity.heldOutPassByStore)
                if json { try printJSON(summary); return }
                print("\(probesURL.path): familiarity of model \(model.id), k = \(familiarity.k), at least \(Int(familiarity.coverage * 100)) % of held-out segments pass"
                      + (familiarity.heldOutPass.map { String(format: " (measured: %.1f %%)", $0 * 100) } ?? ""))
                for mode in FingerprintMode.allCases {
                    guard let m = summary.modes[mode.rawValue] else { continue }
                    print(mode.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                          + String(format: "reference %d, calibration %d, distance threshold %.4f", m.reference, m.calibration, m.threshold))
                }
                for (path, share) in (familiarity.heldOutPassByStore ?? [:]).sorted(by: { $0.key < $1.key }) {
                    print(String(format: "held-out segments of %@ passing: %.1f %%", path, share * 100))
                }
                if let rc = summary.reconstruction {
                    print(String(format: "masked reconstruction: calibration %d, RMSE threshold %.4f", rc.calibration, rc.threshold))
                }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }
    }
}
