import Foundation
import Testing
import TestSupport

/// `m2ae <command> --help` exits 0 and names every option of the command.
@Suite("m2ae --help")
struct HelpTests {
    /// A subcommand path and the options its help must name.
    struct Case: Sendable, CustomTestStringConvertible {
        var command: [String]
        var options: [String]
        var testDescription: String { command.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(command: ["info"], options: ["<store>", "--json"]),
        Case(command: ["synth"], options: ["--subjects", "--segments", "--seed", "--defect-rate", "--out", "--json"]),
        Case(command: ["import"], options: ["<paths>", "--manifest", "--kind", "--out", "--rate", "--ecg", "--ppg", "--subject", "--together", "--json"]),
        Case(command: ["read"], options: ["<record>", "--csv", "--rate", "--rows"]),
        Case(command: ["embed"], options: ["<store>", "--model", "--init", "--seed", "--config", "--batch", "--threads", "--force"]),
        Case(command: ["reconstruct"], options: ["<store>", "--model", "--init", "--seed", "--config", "--segment", "--all",
                                                 "--from", "--mask-seed", "--batch", "--per-segment", "--csv", "--json"]),
        Case(command: ["knn"], options: ["<store>", "--segment", "-k", "--mode", "--model-id", "--exclude-same-subject",
                                         "--method", "--build-index", "--json"]),
        Case(command: ["project"], options: ["<store>", "--mode", "--model-id", "--umap-limit", "--seed", "--json"]),
        Case(command: ["predict"], options: ["<store>", "--segment", "--all", "--model", "--mode", "--json", "--csv", "--no-reconstruction-check"]),
        Case(command: ["calibrate"], options: ["<stores>", "--model", "--seed", "--probe-labels", "--json"]),
        Case(command: ["export"], options: ["<store>", "--model", "--out", "--format", "--mode", "--pseudonymise", "--force"]),
        Case(command: ["label"], options: ["<store>", "<labels>", "--by", "--kind", "--replace"]),
        Case(command: ["evaluate"], options: ["--train", "--unlabelled", "--test", "--model", "--task", "--bootstrap", "--seed", "--no-random-baseline",
                                              "--no-handcrafted", "--report", "--json"]),
        Case(command: ["tui"], options: ["<store>", "--model", "--script", "--record", "--tour", "--export-dir", "--synthetic",
                                         "--no-color"]),
        Case(command: ["train"], options: ["--store", "--synth", "--synth-segments", "--synth-seed", "--mix", "--augment", "--augment-delay", "--config", "--epochs",
                                           "--batch-size", "--lr", "--warmup", "--p-drop", "--from", "--seed", "--val-fraction",
                                           "--val-segments", "--threads", "--out", "--curve", "--resume", "--json"]),
    ]

    /// `m2ae-bench` subcommands and the options their help must name.
    static let benchCases: [Case] = [
        Case(command: [], options: ["store", "signals", "synth", "import", "layers", "engine", "knn", "umap", "tui", "train"]),
        Case(command: ["train"], options: ["--config", "--batch-size", "--repeats", "--threads", "--no-torch", "--torch-script"]),
        Case(command: ["tui"], options: ["--repeats", "--keys", "--large", "--store", "--model", "--size"]),
        Case(command: ["store"], options: ["--segments", "--write-segments", "--repeats", "--dir"]),
        Case(command: ["signals"], options: ["--repeats", "--python", "--script"]),
        Case(command: ["synth"], options: ["--subjects", "--segments", "--repeats", "--defect-rate"]),
        Case(command: ["import"], options: ["<records>", "--repeats", "--python", "--script"]),
        Case(command: ["layers"], options: ["--batch", "--repeats", "--threads", "--no-peer"]),
        Case(command: ["engine"], options: ["--config", "--batches", "--repeats", "--threads", "--no-torch", "--clock",
                                                     "--compile-timeout", "--torch-script"]),
        Case(command: ["knn"], options: ["--rows", "--dim", "--queries", "-k", "--repeats", "--noise", "--no-faiss"]),
        Case(command: ["umap"], options: ["--points", "--dim", "--repeats", "--sample", "--no-peer"]),
    ]

    @Test("--help exits 0 and names every option", arguments: cases)
    func helpNamesOptions(_ c: Case) throws {
        let r = try m2ae(c.command + ["--help"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("USAGE: m2ae \(c.command.joined(separator: " "))"), "\(r)")
        for option in c.options {
            #expect(r.stdout.contains(option), "help of '\(c.testDescription)' does not name \(option):\n\(r.stdout)")
        }
    }

    @Test("m2ae --help lists every subcommand, and --version prints the version")
    func rootHelp() throws {
        let r = try m2ae(["--help"])
        #expect(r.status == 0, "\(r)")
        for sub in ["tui", "info", "synth", "import", "read", "embed", "reconstruct", "train", "label", "export", "knn", "project",
                    "predict", "evaluate", "calibrate"] {
            #expect(r.stdout.contains("  \(sub)"), "root help does not list \(sub):\n\(r.stdout)")
        }
        let v = try m2ae(["--version"])
        #expect(v.status == 0 && v.stdout.hasPrefix("0.1.0\ncpu: "), "\(v)")
        for line in ["cpu features: ", "blas: OpenBLAS ", "engine loops: "] { #expect(v.stdout.contains(line), "\(v)") }
    }

    @Test("m2ae-bench --help exits 0 and names every option", arguments: benchCases)
    func benchHelpNamesOptions(_ c: Case) throws {
        let r = try CommandRunner.run(c.command + ["--help"], product: "m2ae-bench")
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("USAGE: m2ae-bench \(c.command.joined(separator: " "))"), "\(r)")
        for option in c.options {
            #expect(r.stdout.contains(option), "help of 'm2ae-bench \(c.testDescription)' does not name \(option):\n\(r.stdout)")
        }
    }

    @Test("m2ae bench names the executable the benchmarks moved to")
    func oldBenchCommandPointsAtTheNewOne() throws {
        let r = try m2ae(["bench", "engine", "--rounds", "2"])
        #expect(r.status == 1, "\(r)")
        #expect(r.stderr == "Error: the benchmarks moved to their own executable: run `m2ae-bench engine --rounds 2` (from the project root: swift run -c release m2ae-bench engine --rounds 2)\n", "\(r)")
    }
}
