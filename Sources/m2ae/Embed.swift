import ArgumentParser
import Engine
import Foundation
import Model
import Pipelines
import Store

extension M2AE {
    /// `m2ae embed`: Compute fingerprints (ECG+PPG, ECG, PPG) for every segment of a store.
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed",
            abstract: "Compute fingerprints (ECG+PPG, ECG, PPG) for every segment of a store.",
            discussion: """
            Writes /models/<id>/fingerprints/{ecg+ppg,ecg,ppg} into STORE, where <id> is the \
            checkpoint's short hash. Resumable (progress is kept beside the store until the end) \
            and atomic per model (the store changes only when every segment is done).
            """
        )

        @Argument(help: "The record store (.h5).")
        var store: String
        @OptionGroup var modelOptions: ModelOptions
        @Option(help: "Segments per thread per forward pass (16, one tile of the model, is the fastest).")
        var batch: Int = 16
        @Option(help: "Cores to embed on (each takes its own share of every batch).")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount
        @Flag(help: "Recompute even when the store already has this model's fingerprints.")
        var force = false

        func validate() throws {
            guard batch >= 1, batch <= 4096 else { throw ValidationError("--batch must be in 1...4096") }
            guard threads >= 1, threads <= 256 else { throw ValidationError("--threads must be in 1...256") }
        }

        func run() throws {
            BLASKernels.warnIfBelowBest()
            let url = URL(fileURLWithPath: store)
            do {
                let total = try RecordStore(url: url).segmentCount   // bad store: fail before writing anything
                let model = try modelOptions.load()
                let bar = ProgressBar("embed", total: total, unit: "seg")
                let summary = try Embedder(model: model, batchSize: batch, threads: threads).run(store: url, force: force) { done, _ in
                    bar.advance(by: done - bar.done)
                }
                if summary.alreadyEmbedded {
                    print("\(store): already has the fingerprints of model \(summary.modelID) (use --force to recompute)")
                    return
                }
                bar.finish(status: summary.resumedFrom > 0 ? "resumed at \(summary.resumedFrom)" : "")
                print("\(store): wrote 3 × \(summary.segments) fingerprints (\(model.config.fingerprintDim)-d) of model \(summary.modelID)")
            } catch let e as CLIError {
                throw e
            } catch {
                throw CLIError(String(describing: error))
            }
        }
    }

    /// Where the model comes from: a checkpoint, or (with `--init random`) a seeded random
    /// initialisation written to that path first. Shared by `embed` and `reconstruct`.
    struct ModelOptions: ParsableArguments {
        /// How to initialise a new checkpoint.
        enum InitMethod: String, ExpressibleByArgument, CaseIterable { case random }

        @Option(name: .customLong("model"), help: "The checkpoint (.safetensors).")
        var checkpoint: String
        @Option(name: .customLong("init"), help: "Create the checkpoint at --model first: 'random' (seeded).")
        var initMethod: InitMethod?
        @Option(help: "Seed of --init random.")
        var seed: UInt64 = 0
        @Option(help: "Config of --init random: small or tiny.")
        var config: String = "small"

        func validate() throws {
            guard M2AEConfig.preset(config) != nil else { throw ValidationError("--config must be small or tiny, not '\(config)'") }
        }

        /// Loads the checkpoint; with `--init random` creates the model and, when `write` is
        /// true, writes it to --model (an identical existing file is reused, so a rerun resumes).
        func load(write: Bool = true) throws -> M2AEModel {
            let url = URL(fileURLWithPath: checkpoint)
            guard initMethod == .random else {
                do { return try M2AEModel(checkpoint: url) } catch { throw CLIError(String(describing: error)) }
            }
            let fresh = try M2AEModel.random(config: M2AEConfig.preset(config)!, seed: seed)
            if FileManager.default.fileExists(atPath: url.path) {
                let existing = try? M2AEModel(checkpoint: url)
                guard existing?.id == fresh.id else {
                    throw CLIError("\(checkpoint): exists and is not the --init random --seed \(seed) --config \(config) checkpoint; remove it or drop --init")
                }
                return fresh
            }
            if write { try fresh.save(to: url) }
            return fresh
        }
    }
}
