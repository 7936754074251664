import Foundation
import Model
import Store

/// Where a run stands, saved beside every checkpoint so that `--resume` continues exactly.
public struct TrainingState: Sendable, Codable, Equatable {
    /// Optimiser steps taken.
    public var step: Int
    /// Epochs completed.
    public var epoch: Int
    /// Batches of epoch `epoch` already trained on (non-zero after an interruption).
    public var batchInEpoch: Int
    /// Planned epochs and steps per epoch (the schedule's length).
    public var epochs: Int
    public var stepsPerEpoch: Int
    public var batchSize: Int
    public var seed: UInt64
    /// The data source's label (`SegmentSource.label`).
    public var source: String
    public var hyperparameters: Hyperparameters
    /// `M2AEModel.id` of the weights saved with this state (pairs the two files).
    public var modelID: String
}

/// Checkpoint files of a run: the model (`CKPT`, an ordinary M2AE safetensors checkpoint that
/// every tool loads) and the trainer's state beside it (`CKPT` with `.state.safetensors`
/// replacing `.safetensors`: AdamW's m and v per tensor, `m.<name>`/`v.<name>`, plus the
/// `TrainingState` JSON in `__metadata__["state"]`). Both are written to temporary siblings
/// first and renamed only when both are complete, so a failed save (a full disk) leaves the
/// previous pair intact.
public enum TrainingCheckpoint {
    public static let stateFormat = "m2ae-train-state"

    /// The state file that goes with checkpoint `url`.
    public static func stateURL(for url: URL) -> URL {
        let name = url.lastPathComponent
        let stem = name.hasSuffix(".safetensors") ? String(name.dropLast(".safetensors".count)) : name
        return url.deletingLastPathComponent().appendingPathComponent(stem + ".state.safetensors")
    }

    /// Saves model, optimiser moments and state.
    /// - Throws: `TrainingRunError` naming the file; the previous checkpoint stays intact.
    public static func save(_ trainer: Trainer, state: TrainingState, to url: URL) throws {
        let stateURL = stateURL(for: url)
        // Temporary siblings named as every atomic write names them, so that those of a killed
        // run are removed here by the next save.
        AtomicReplace.removeAbandonedSiblings(of: url)
        AtomicReplace.removeAbandonedSiblings(of: stateURL)
        // One save at a time per process: the tags are fixed.
        let tmpModel = AtomicReplace.temporarySibling(of: url, tag: 0), tmpState = AtomicReplace.temporarySibling(of: stateURL, tag: 0)
        do {
            try trainer.model.save(to: tmpModel, atomically: false)
            let o = trainer.optimizer
            var tensors: [SafetensorsFile.Tensor] = []
            for e in trainer.model.layout.entries {
                tensors.append(.init(name: "m." + e.name, shape: e.shape, values: UnsafeBufferPointer(start: o.m.base + e.offset, count: e.count)))
                tensors.append(.init(name: "v." + e.name, shape: e.shape, values: UnsafeBufferPointer(start: o.v.base + e.offset, count: e.count)))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let json = String(decoding: try encoder.encode(state), as: UTF8.self)
            try SafetensorsFile.write(to: tmpState, tensors: tensors,
                                      metadata: ["format": stateFormat, "format_version": "1", "state": json,
                                                 "config": trainer.model.config.json()], atomically: false)
            try replace(url, with: tmpModel)
            try replace(stateURL, with: tmpState)
        } catch {
            try? FileManager.default.removeItem(at: tmpModel)
            try? FileManager.default.removeItem(at: tmpState)
            throw TrainingRunError("\(url.path): could not save the checkpoint (\(error)); the previous checkpoint is intact")
        }
    }

    /// The weights of checkpoint `url` for a run of `config` (to `use` them: resume, fine-tune).
    /// - Parameter otherwise: what else the user can do, appended to the wrong-config message.
    /// - Throws: `TrainingRunError` for an unreadable checkpoint or one of another config.
    static func weights(_ url: URL, config: M2AEConfig, use: String, otherwise: String = "") throws -> M2AEModel {
        let model: M2AEModel
        do { model = try M2AEModel(checkpoint: url) } catch { throw TrainingRunError("cannot \(use): \(error)") }
        guard model.config == config else {
            throw TrainingRunError("\(url.path): the checkpoint is config '\(model.config.name)' (\(model.config.json())), this run asks for '\(config.name)'; pass --config \(model.config.name)\(otherwise)")
        }
        return model
    }

    /// Loads checkpoint `url` and its state for `--resume`.
    /// - Parameter config: the config the run asks for; a checkpoint of another config is refused.
    /// - Throws: `TrainingRunError` naming the file and the problem.
    public static func load(_ url: URL, config: M2AEConfig, hyperparameters: Hyperparameters,
                            maxSegments: Int) throws -> (Trainer, TrainingState) {
        let model = try weights(url, config: config, use: "resume", otherwise: " or start a new --out")
        let sURL = stateURL(for: url)
        let file: SafetensorsFile
        do { file = try SafetensorsFile(url: sURL) } catch {
            throw TrainingRunError("\(sURL.path): cannot resume without the trainer state saved beside the checkpoint (\(error))")
        }
        guard file.metadata["format"] == stateFormat, let json = file.metadata["state"],
              let state = try? JSONDecoder().decode(TrainingState.self, from: Data(json.utf8)) else {
            throw TrainingRunError("\(sURL.path): not an m2ae trainer state file")
        }
        guard state.modelID == model.id else {
            throw TrainingRunError("\(sURL.path): the state belongs to other weights (model id \(state.modelID), checkpoint \(model.id))")
        }
        let trainer = Trainer(model: model, hyperparameters: hyperparameters, maxSegments: maxSegments)
        do {
            for e in model.layout.entries {
                try file.read("m." + e.name, into: trainer.optimizer.m.base + e.offset, count: e.count)
                try file.read("v." + e.name, into: trainer.optimizer.v.base + e.offset, count: e.count)
            }
        } catch { throw TrainingRunError("\(sURL.path): \(error)") }
        trainer.optimizer.step = state.step
        return (trainer, state)
    }

    private static func replace(_ url: URL, with tmp: URL) throws {
        guard rename(tmp.path, url.path) == 0 else {
            throw TrainingRunError("\(url.path): rename failed (\(String(cString: strerror(errno))))")
        }
    }
}

/// A training run cannot go on: one line naming the file and the problem.
public struct TrainingRunError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
