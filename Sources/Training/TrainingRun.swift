import Foundation
import Model

/// A whole training run: epochs of streamed batches, validation and a checkpoint after every
/// epoch, the loss curve CSV, resumption, interruption and divergence handling. The command
/// line (`m2ae train`) drives it and draws its events.
public final class TrainingRun {
    /// What the run was asked to do.
    public struct Settings: Sendable {
        public var epochs: Int
        public var batchSize: Int
        public var seed: UInt64
        public var validationFraction: Double = 0.1
        /// The most validation segments evaluated per epoch (retrieval is among these).
        public var validationLimit: Int = 1000
        public var hyperparameters = Hyperparameters()
        /// Fine-tuning: start from this checkpoint's weights (a fresh optimiser and schedule)
        /// instead of a random initialisation. Ignored on resume.
        public var initialWeights: URL?
        /// Device augmentations of the training segments (nil: none); part of the run's source
        /// label, so `--resume` needs the same.
        public var augmentation: Augmentation?
        /// Checkpoint (model) path; the state and the curve CSV go beside it.
        public var out: URL
        public var curve: URL

        public init(epochs: Int, batchSize: Int, seed: UInt64, out: URL, curve: URL) {
            self.epochs = epochs; self.batchSize = batchSize; self.seed = seed; self.out = out; self.curve = curve
        }
    }

    /// One step's report.
    public struct StepReport: Sendable {
        public var epoch: Int, step: Int, stepInEpoch: Int, stepsPerEpoch: Int, totalSteps: Int
        public var result: Trainer.StepResult
        /// Segments per second over the epoch so far (data loading included).
        public var segmentsPerSecond: Double
    }

    /// One epoch's report.
    public struct EpochReport: Sendable {
        public var epoch: Int, step: Int
        public var trainLoss: LossParts
        public var validation: ValidationResult
        public var seconds: Double
    }

    public enum Event: Sendable {
        case step(StepReport)
        case epoch(EpochReport)
    }

    /// How the run ended.
    public enum Outcome: Sendable, Equatable {
        case finished
        /// Stopped on request after `step` steps; the checkpoint holds that state.
        case interrupted(step: Int)
        /// The loss (or a gradient) was not finite at `step`; the checkpoint on disk is the
        /// last good one (saved after epoch `lastSavedEpoch`, or none when 0).
        case diverged(step: Int, lastSavedEpoch: Int)
    }

    public let source: SegmentSource
    /// The source's label with the augmentation, as the trainer state records it.
    public let dataLabel: String
    public let settings: Settings
    public let trainer: Trainer
    public private(set) var state: TrainingState
    public let split: SubjectSplit
    public let trainSegments: Int
    public private(set) var curve: LossCurve
    let validator: Validator

    /// Prepares a run: the split, the validation set, and either a fresh model (random, or the
    /// weights of `settings.initialWeights`) or the checkpoint at `settings.out` (`resume`).
    /// - Throws: `TrainingDataError` (too few subjects, no training batch), `TrainingRunError`
    ///   (a checkpoint that cannot be resumed), the store's errors.
    public init(source: SegmentSource, settings: Settings, config: M2AEConfig, resume: Bool) throws {
        self.source = source; self.settings = settings
        dataLabel = source.label + (settings.augmentation.map { " + \($0.label)" } ?? "")
        let usable = try source.usableSegmentsPerSubject()
        split = try SubjectSplit(subjects: source.subjectCount, usable: usable,
                                 validationFraction: settings.validationFraction, seed: settings.seed, source: source.label)
        var n = 0
        for s in 0..<source.subjectCount where !split.isValidation[s] { n += usable[s] }
        n = Int(Double(n) * source.expectedUsableShare)
        trainSegments = n
        let stepsPerEpoch = n / settings.batchSize
        guard stepsPerEpoch > 0 else {
            throw TrainingDataError("\(source.label): \(n) training segments make no batch of \(settings.batchSize); lower --batch-size")
        }
        let h = settings.hyperparameters
        if resume {
            let (t, s) = try TrainingCheckpoint.load(settings.out, config: config, hyperparameters: h, maxSegments: settings.batchSize)
            guard s.batchSize == settings.batchSize, s.seed == settings.seed, s.source == dataLabel else {
                throw TrainingRunError("\(settings.out.path): the checkpoint was trained with \(s.source), batch \(s.batchSize), seed \(s.seed); resume with the same --store/--synth, --batch-size and --seed")
            }
            trainer = t; state = s
            state.epochs = settings.epochs
            curve = LossCurve(csv: settings.curve, upTo: s.step)
        } else {
            let model = try settings.initialWeights.map { try TrainingCheckpoint.weights($0, config: config, use: "fine-tune") }
                ?? M2AEModel.random(config: config, seed: settings.seed)
            trainer = Trainer(model: model, hyperparameters: h, maxSegments: settings.batchSize)
            state = TrainingState(step: 0, epoch: 0, batchInEpoch: 0, epochs: settings.epochs, stepsPerEpoch: stepsPerEpoch,
                                  batchSize: settings.batchSize, seed: settings.seed, source: dataLabel,
                                  hyperparameters: h, modelID: model.id)
            curve = LossCurve()
        }
        let set = try ValidationSet(source: source, split: split, limit: settings.validationLimit)
        validator = Validator(set: set, config: config, batchSize: settings.batchSize, seed: settings.seed)
    }

    /// Validation segments evaluated per epoch.
    public var validationSegments: Int { validator.set.segments.count }

    /// Runs the remaining epochs.
    /// - Parameters:
    ///   - onEvent: called after every step and every epoch (on the calling thread).
    ///   - shouldStop: polled after every step; true saves a checkpoint and returns `.interrupted`.
    public func run(onEvent: (Event) -> Void, shouldStop: () -> Bool) throws -> Outcome {
        let B = settings.batchSize, T = trainer.model.config.numPatches
        let total = state.stepsPerEpoch * state.epochs
        while state.epoch < state.epochs {
            let started = Date()
            let reader = EpochReader(source: source, split: split, batchSize: B, batches: state.stepsPerEpoch,
                                     seed: settings.seed, epoch: state.epoch, augmentation: settings.augmentation)
            for _ in 0..<state.batchInEpoch { _ = try reader.next() }   // resume inside an epoch
            var epochLoss = LossParts(), count = 0
            var segments = 0   // trained on in this epoch, for the throughput
            while let batch = try reader.next() {
                var rng = SeededGenerator(seed: settings.seed &* 0x2545_F491_4F6C_DD1D &+ UInt64(state.step))
                let vis = TrainingMasks.draw(segments: batch.count, patches: T, hyperparameters: trainer.hyperparameters, using: &rng)
                let result = try trainer.step(ecg: batch.ecg, ppg: batch.ppg, visibility: vis, step: state.step, total: total)
                guard result.parts.isFinite, result.gradNorm.isFinite else {
                    try? curve.write(to: settings.curve)
                    let saved = FileManager.default.fileExists(atPath: settings.out.path) ? state.epoch : 0
                    return .diverged(step: state.step, lastSavedEpoch: saved)
                }
                curve.append(.init(kind: "train", epoch: state.epoch + 1, step: state.step + 1, parts: result.parts,
                                   lr: result.lr, gradNorm: Double(result.gradNorm)))
                epochLoss.add(result.parts); count += 1
                state.step += 1; state.batchInEpoch += 1
                segments += batch.count
                let elapsed = Date().timeIntervalSince(started)
                onEvent(.step(StepReport(epoch: state.epoch + 1, step: state.step, stepInEpoch: state.batchInEpoch,
                                         stepsPerEpoch: state.stepsPerEpoch, totalSteps: total, result: result,
                                         segmentsPerSecond: elapsed > 0 ? Double(segments) / elapsed : 0)))
                if shouldStop() {
                    try save()
                    return .interrupted(step: state.step)
                }
            }
            let validation = try validator.run(trainer)
            state.epoch += 1; state.batchInEpoch = 0
            curve.append(.init(kind: "val", epoch: state.epoch, step: state.step, parts: {
                var p = validation.parts; p.retrievalTop1 = validation.retrievalTop1; return p }(), lr: nil, gradNorm: nil))
            try save()
            if count > 0 { epochLoss = { var m = LossParts(); m.add(epochLoss, weight: 1 / Double(count)); return m }() }
            onEvent(.epoch(EpochReport(epoch: state.epoch, step: state.step, trainLoss: epochLoss, validation: validation,
                                       seconds: Date().timeIntervalSince(started))))
            if shouldStop() { return .interrupted(step: state.step) }
        }
        return .finished
    }

    /// Saves the checkpoint pair and the curve.
    private func save() throws {
        state.modelID = trainer.model.id
        try TrainingCheckpoint.save(trainer, state: state, to: settings.out)
        do { try curve.write(to: settings.curve) } catch {
            throw TrainingRunError("\(settings.curve.path): could not write the loss curve (\(error)); the checkpoint was saved")
        }
    }
}
