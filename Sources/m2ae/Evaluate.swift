import Analytics
import ArgumentParser
import Foundation
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
            for `m2ae predict`. Stores must hold the checkpoint's fingerprints (`m2ae embed`).
            """
        )

        @Option(help: "The training store (.h5).")
        var train: String
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
        }

        func run() throws {
            if let report, !FileManager.default.fileExists(atPath: URL(fileURLWithPath: report).deletingLastPathComponent().path) { throw CLIError("\(report): folder \(URL(fileURLWithPath: report).deletingLastPathComponent().path) does not exist") }
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
    }
}
