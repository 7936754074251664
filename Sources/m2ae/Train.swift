import ArgumentParser
import Dispatch
import Engine
import Foundation
import Model
import Training

extension M2AE {
    /// `m2ae train`: train M2AE on a store or on a synthetic cohort generated on the fly.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train or fine-tune M2AE on a store.",
            discussion: """
                Complementary masking with modality drop, masked reconstruction on both decoders and \
                symmetric InfoNCE between ECG-only and PPG-only fingerprints; AdamW with warm-up and \
                cosine schedule, gradient clipping (docs/training.md). Subjects are split into \
                training and validation; every epoch reports validation loss and cross-modal retrieval \
                and saves CKPT (plus CKPT's .state.safetensors for --resume) atomically. Ctrl-C saves \
                and exits. The loss curve is drawn at the end and written as CSV.
                """
        )

        @Option(help: "A store to train on (segments are streamed in blocks); repeat for several stores.")
        var store: [String] = []
        @Option(help: "Train on a synthetic cohort of this many subjects, generated on the fly (alone or beside --store).")
        var synth: Int?
        @Option(help: ArgumentHelp("Mixing weights, one per --store in order and then one for --synth: each source's share of every epoch's segments (normalised; default: in proportion to their sizes).", valueName: "w,w,..."))
        var mix: String?
        @Option(help: "Segments per synthetic subject.")
        var synthSegments: Int = 8
        @Option(help: "Seed of the synthetic cohort.")
        var synthSeed: UInt64 = 1
        @Option(help: "Model config: small or tiny.")
        var config: String = "small"
        @Option(help: "Epochs (passes over the training subjects' segments).")
        var epochs: Int = 10
        @Option(help: "Segments per optimiser step.")
        var batchSize: Int = 64
        @Option(help: "Peak learning rate.")
        var lr: Double = 1e-3
        @Option(help: "Warm-up steps of the learning-rate schedule.")
        var warmup: Int = 200
        @Option(help: "Probability that one whole modality is dropped from a segment (cross-modal reconstruction).")
        var pDrop: Double = Hyperparameters().pDrop
        @Option(help: "Device augmentations: the probability of each (device rate, monitor filter, lead, wander, motion; 0: none).")
        var augment: Double = 0
        @Option(help: "Probability of the PPG-delay augmentation (default: --augment's).")
        var augmentDelay: Double?
        @Option(name: .customLong("from"), help: ArgumentHelp("Fine-tune: start from this checkpoint's weights, with a fresh optimiser and schedule.", valueName: "ckpt"))
        var initialWeights: String?
        @Option(help: "Seed of the initial weights, the split, the batch order and the masks.")
        var seed: UInt64 = 0
        @Option(help: "Share of subjects held out for validation.")
        var valFraction: Double = 0.1
        @Option(help: "Most validation segments evaluated per epoch (retrieval is among these).")
        var valSegments: Int = 1000
        @Option(help: "Threads for OpenBLAS (default: all cores).")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount
        @Option(help: "The checkpoint to write (safetensors); its trainer state goes beside it.")
        var out: String
        @Option(help: "The loss-curve CSV (default: CKPT with .loss.csv).")
        var curve: String?
        @Flag(help: "Continue the run saved at --out (same data, batch size and seed; --lr, --warmup and --p-drop apply as given now).")
        var resume = false
        @Flag(help: "Print the final summary as JSON (docs/training.md has the schema).")
        var json = false

        func validate() throws {
            guard !store.isEmpty || synth != nil else { throw ValidationError("give --store (one or more) or --synth, or both") }
            if let mix {
                let n = store.count + (synth == nil ? 0 : 1)
                guard let w = Self.weights(mix), w.count == n else {
                    throw ValidationError("--mix needs \(n) positive weight(s) separated by commas (one per --store, then --synth), got \"\(mix)\"")
                }
            }
            guard M2AEConfig.preset(config) != nil else { throw ValidationError("--config must be small or tiny") }
            guard epochs >= 1, batchSize >= 2, batchSize <= 4096 else { throw ValidationError("--epochs must be ≥ 1 and --batch-size 2…4096") }
            guard lr > 0, warmup >= 0, threads >= 1 else { throw ValidationError("--lr must be > 0, --warmup ≥ 0, --threads ≥ 1") }
            guard pDrop >= 0, pDrop <= 1 else { throw ValidationError("--p-drop must be in [0, 1]") }
            guard augment >= 0, augment <= 1, (augmentDelay ?? 0) >= 0, (augmentDelay ?? 0) <= 1 else {
                throw ValidationError("--augment and --augment-delay must be in [0, 1]")
            }
            guard !(resume && initialWeights != nil) else { throw ValidationError("--from starts a new run; --resume continues the one at --out: give one of them") }
            guard valFraction > 0, valFraction < 1, valSegments >= 2 else { throw ValidationError("--val-fraction must be in (0, 1) and --val-segments ≥ 2") }
            if let s = synth { guard s >= 1, synthSegments >= 1 else { throw ValidationError("--synth and --synth-segments must be ≥ 1") } }
        }

        func run() throws {
            BLASKernels.warnIfBelowBest()
            let summary = try train()
            if json { try printJSON(summary) }
            if case .diverged = summary.outcomeKind { throw ExitCode(2) }
        }
    }
}

// MARK: - Run

extension M2AE.Train {
    /// What `m2ae train --json` prints.
    struct Summary: Encodable {
        enum Kind: String, Encodable { case finished, interrupted, diverged }
        var outcome: String
        var outcomeKind: Kind
        var checkpoint: String
        var curve: String
        var config: String
        var source: String
        var steps: Int
        var epochs: Int
        var trainSegments: Int
        var validationSegments: Int
        var lastValidation: ValidationResult?
        var segmentsPerSecond: Double
    }

    func train() throws -> Summary {
        setBLASThreads(threads)
        let outURL = URL(fileURLWithPath: out)
        let curveURL = URL(fileURLWithPath: curve ?? Self.curvePath(out))
        var sources: [SegmentSource] = try store.map { try StoreSource(url: URL(fileURLWithPath: $0)) }
        if let synth { sources.append(SynthSource(subjects: synth, segmentsPerSubject: synthSegments, seed: synthSeed)) }
        let source: SegmentSource
        if sources.count == 1 && mix == nil {
            source = sources[0]
        } else {
            // Without --mix, each source weighs in proportion to its usable segments (plain concatenation).
            let w = try mix.flatMap(Self.weights) ?? sources.map {
                Double(try $0.usableSegmentsPerSubject().reduce(0, +)) * $0.expectedUsableShare
            }
            do { source = try MixedSource(sources, weights: w) } catch { throw CLIError("\(error)") }
        }
        var settings = TrainingRun.Settings(epochs: epochs, batchSize: batchSize, seed: seed, out: outURL, curve: curveURL)
        settings.validationFraction = valFraction
        settings.validationLimit = valSegments
        settings.hyperparameters.lr = lr
        settings.hyperparameters.warmupSteps = warmup
        settings.hyperparameters.pDrop = pDrop
        if augment > 0 || (augmentDelay ?? 0) > 0 { settings.augmentation = Augmentation(probability: augment, delayProbability: augmentDelay) }
        settings.initialWeights = initialWeights.map { URL(fileURLWithPath: $0) }
        let cfg = M2AEConfig.preset(config)!
        let run: TrainingRun
        do { run = try TrainingRun(source: source, settings: settings, config: cfg, resume: resume) } catch {
            throw CLIError("\(error)")
        }
        let log = Log()
        log.line("train \(cfg.name) (\(run.trainer.model.layout.parameterCount) parameters) on \(run.dataLabel): "
                 + "\(run.split.trainingCount) training subjects (~\(run.trainSegments) segments), "
                 + "\(run.split.validationCount) validation subjects (\(run.validationSegments) segments evaluated)"
                 + (resume ? "; resuming at step \(run.state.step), epoch \(run.state.epoch)" : ""))

        let stop = StopFlag()
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler { stop.set() }
        sigint.resume()
        defer { sigint.cancel(); signal(SIGINT, SIG_DFL) }

        let remaining = run.state.stepsPerEpoch * run.state.epochs - run.state.step
        let bar = ProgressBar("train", total: remaining, unit: "step")
        var rate = 0.0
        var last: ValidationResult?
        let outcome: TrainingRun.Outcome
        do {
            outcome = try run.run(onEvent: { event in
                switch event {
                case .step(let s):
                    rate = s.segmentsPerSecond
                    let p = s.result.parts
                    let status = String(format: "ep %d/%d loss %.4f recon %.4f (E %.3f P %.3f) con %.3f · %.0f seg/s",
                                        s.epoch, run.state.epochs, p.loss, p.recon, p.reconECG, p.reconPPG, p.contrastive,
                                        s.segmentsPerSecond)
                    bar.advance(status: status)
                    // Without a terminal (logs, nohup) the bar is silent until the end: a line every 50 steps.
                    if !log.isTerminal && s.step % 50 == 0 { log.line("step \(s.step)/\(s.totalSteps) " + status) }
                case .epoch(let e):
                    last = e.validation
                    let v = e.validation
                    log.line(String(format: "epoch %d/%d (%.0f s): train loss %.4f · val loss %.4f recon %.4f con %.4f · retrieval top-1 %.1f%% of %d (chance %.2f%%) · saved %@",
                                    e.epoch, run.state.epochs, e.seconds, e.trainLoss.loss, v.parts.loss, v.parts.recon,
                                    v.parts.contrastive, 100 * v.retrievalTop1, v.segments, 100 / Double(max(v.segments, 1)), out))
                }
            }, shouldStop: { stop.isSet })
        } catch {
            bar.finish()
            throw CLIError("\(error)")
        }
        bar.finish()
        var kind = Summary.Kind.finished
        var text: String
        switch outcome {
        case .finished:
            text = "finished \(run.state.epochs) epochs (\(run.state.step) steps); checkpoint \(out)"
        case .interrupted(let step):
            kind = .interrupted
            text = "interrupted: saved step \(step) to \(out); continue with the same command and --resume"
        case .diverged(let step, let epoch):
            kind = .diverged
            text = "training stopped: the loss was not finite at step \(step + 1); "
                + (epoch > 0 ? "the last good checkpoint (epoch \(epoch)) is intact at \(out)" : "no checkpoint had been saved yet")
                + "; try a lower --lr"
        }
        if !json {
            print(run.curve.plot())
            print("loss curve: \(curveURL.path)")
        }
        log.line(text)
        return Summary(outcome: text, outcomeKind: kind, checkpoint: out, curve: curveURL.path, config: cfg.name,
                       source: run.dataLabel, steps: run.state.step, epochs: run.state.epoch, trainSegments: run.trainSegments,
                       validationSegments: run.validationSegments, lastValidation: last, segmentsPerSecond: rate)
    }

    /// "0.7,0.3" → [0.7, 0.3]; nil unless every item is a positive finite number.
    static func weights(_ text: String) -> [Double]? {
        let w = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !w.isEmpty, w.allSatisfy({ $0 != nil && $0!.isFinite && $0! > 0 }) else { return nil }
        return w.map { $0! }
    }

    /// CKPT.safetensors → CKPT.loss.csv.
    static func curvePath(_ out: String) -> String {
        (out.hasSuffix(".safetensors") ? String(out.dropLast(".safetensors".count)) : out) + ".loss.csv"
    }
}

/// Set from the SIGINT handler, polled by the training loop after every step.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// Status lines on standard error that clear a progress bar drawn on the same line.
private struct Log {
    let isTerminal = isatty(STDERR_FILENO) != 0
    func line(_ s: String) {
        FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[2K" : "") + s + "\n").utf8))
    }
}
