import Analytics
import ArgumentParser
import Foundation
import Pipelines
import Store

extension M2AE {
    /// `m2ae evaluate`: The seven-task evaluation table with confidence intervals.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "The seven-task evaluation table with confidence intervals.",
            discussion: """
            Fits linear probes on frozen ECG+PPG, ECG and PPG fingerprints (and the baselines) \
            of the training store, scores them on the test store (or on a fixed subject-level \
            split of the one store, printed), and saves the fitted heads as <CKPT>.probes.json \
            for `m2ae predict`, with the familiarity calibration (held-out subjects of the \
            training store, as `m2ae calibrate`). Stores must hold the checkpoint's fingerprints \
            (`m2ae embed`).

            --unlabelled STORE needs no labels: PPG → ECG and ECG → PPG reconstruction (zero-lag \
            and shape r), heart rate of the rebuilt ECG, ECG → PPG retrieval and re-identification \
            across recordings with their chance levels, and the share of segments flagged \
            unfamiliar, with bootstrap intervals over subjects (docs/evaluation.md).
            """
        )

        @Option(help: "The training store (.h5).")
        var train: String?
        @Option(help: "Label-free evaluation of this store (paired ECG and PPG) instead of the probes.")
        var unlabelled: String?
        @Option(help: "The test store (default: a fixed subject-level split of --train).")
        var test: String?
        @Option(name: .customLong("model"), help: "The checkpoint (.safetensors) whose fingerprints are evaluated.")
        var checkpoint: String
        @Option(name: .customLong("task"), help: ArgumentHelp("A task to probe: a built-in task (cvd5-ecg, cvd3-ppg, hypertension, mortality, age, sex) or a label of the store (`m2ae label`); repeatable. Default: every built-in task and every label.", valueName: "NAME"))
        var tasks: [String] = []
        @Option(help: "Bootstrap resamples of test subjects for the intervals.")
        var bootstrap: Int = 1000
        @Option(help: "Seed of the split, the folds and the bootstrap.")
        var seed: UInt64 = 2024
        @Flag(help: "Leave out the randomly initialised model (which embeds the stores when they lack its fingerprints).")
        var noRandomBaseline = false
        @Flag(help: "Leave out the hand-crafted-feature baseline.")
        var noHandcrafted = false
        @Option(help: "Also write the table as Markdown to this file.")
        var report: String?
        @Flag(help: "Print JSON (schema in docs/analytics.md).")
        var json = false

        func validate() throws {
            guard bootstrap >= 10, bootstrap <= 100_000 else { throw ValidationError("--bootstrap must be in 10...100000") }
            guard (train != nil) != (unlabelled != nil) else { throw ValidationError("give exactly one of --train STORE and --unlabelled STORE") }
            if unlabelled != nil, test != nil || report != nil || noRandomBaseline || noHandcrafted {
                throw ValidationError("--unlabelled takes only --model, --bootstrap, --seed and --json")
            }
        }

        func run() throws {
            if let report, !FileManager.default.fileExists(atPath: URL(fileURLWithPath: report).deletingLastPathComponent().path) { throw CLIError("\(report): folder \(URL(fileURLWithPath: report).deletingLastPathComponent().path) does not exist") }
            if let unlabelled { return try runUnlabelled(unlabelled) }
            guard let train else { return }
            do {
                var runner = EvaluationRunner(train: URL(fileURLWithPath: train), test: test.map { URL(fileURLWithPath: $0) },
                                              checkpoint: URL(fileURLWithPath: checkpoint))
                runner.replicates = bootstrap; runner.seed = seed; runner.randomBaseline = !noRandomBaseline
                runner.handcraftedBaseline = !noHandcrafted
                runner.tasks = tasks.isEmpty ? nil : tasks
                let result = try runner.run { FileHandle.standardError.write(Data(("evaluate: " + $0 + "\n").utf8)) }
                if let report { try AtomicReplace.write(Data(result.markdown().utf8), to: URL(fileURLWithPath: report)) }
                if json { try printJSON(result) } else { print(result.table()) }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }

        private func runUnlabelled(_ path: String) throws {
            do {
                var e = UnlabelledEvaluation(store: URL(fileURLWithPath: path), checkpoint: URL(fileURLWithPath: checkpoint))
                e.replicates = bootstrap; e.seed = seed
                let r = try e.run { FileHandle.standardError.write(Data(("evaluate: " + $0 + "\n").utf8)) }
                if json { try printJSON(r) } else { print(Self.table(r)) }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }

        static func table(_ r: UnlabelledEvaluation.Report) -> String {
            func est(_ e: Estimate?) -> String {
                guard let e else { return "n/a" }
                return String(format: "%.3f [%.3f, %.3f]", e.value, e.lower, e.upper)
            }
            var lines = ["label-free evaluation of model \(r.model) on \(r.store): \(r.segments) segments (\(r.pairedSegments) paired), \(r.subjects) subjects; 95 % bootstrap intervals over subjects (\(r.bootstrapReplicates) resamples)",
                         "PPG → ECG   zero-lag r (median)  " + est(r.ppgToECG.pearson),
                         "            shape r (median)     " + est(r.ppgToECG.shapePearson),
                         "            zero-lag r, PPG as recorded " + (r.ppgToECG.pearsonAsRecorded.map { est($0) + "  (not moved to the model's delay)" } ?? "n/a (no measured device delay in the store)"),
                         "            HR within 5 bpm      " + est(r.ppgToECG.heartRateWithin5) + "  (\(r.ppgToECG.heartRateSegments ?? 0) clean segments with both rates)",
                         "ECG → PPG   zero-lag r (median)  " + est(r.ecgToPPG.pearson),
                         "            shape r (median)     " + est(r.ecgToPPG.shapePearson),
                         "retrieval   ECG → PPG top-1      " + est(r.retrieval.top1) + (r.retrieval.chance.map { String(format: "  chance %.4f", $0) } ?? "") + (r.retrieval.note.map { "  (" + $0 + ")" } ?? ""),
                         "re-identification top-1          " + est(r.reidentification.top1) + (r.reidentification.chance.map { String(format: "  chance %.4f", $0) } ?? "") + (r.reidentification.note.map { "  (" + $0 + ")" } ?? ""),
                         "unfamiliar  share flagged        " + est(r.unfamiliar.share) + (r.unfamiliar.note.map { "  (" + $0 + ")" } ?? "")]
            lines.append(String(format: "%.1f s", r.seconds))
            return lines.joined(separator: "\n")
        }
    }
}
