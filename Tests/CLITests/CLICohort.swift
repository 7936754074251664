import Foundation
import Testing
import TestSupport

// MARK: - The shared cohort

/// One small cohort made once per test process by the real `m2ae` binary and shared by the
/// CLI suites (read-only: a test that changes a store works on its own copy).
///
/// `m2ae synth --subjects 12 --segments 3` (36 segments), a copy of it never embedded
/// (`bare`), a tiny random checkpoint embedded into `store`, and `m2ae evaluate` on it, which
/// saves the probe heads that `m2ae predict` needs.
struct CLICohort: Sendable {
    /// The folder holding everything below; removed when the test process exits.
    let folder: URL
    /// The embedded store (12 subjects × 3 segments).
    let store: URL
    /// The same cohort without any model.
    let bare: URL
    /// The tiny random checkpoint, its id, and the probe heads `evaluate` saved beside it.
    let model: URL
    let modelID: String
    let probes: URL
    /// The Markdown table `evaluate --report` wrote.
    let report: URL
    /// The runs that made the cohort (their `--json` output is checked by the schema tests).
    let synth: CommandRunner.Result
    let evaluate: CommandRunner.Result

    static let subjects = 12, segmentsPerSubject = 3
    static var segments: Int { subjects * segmentsPerSubject }

    /// The cohort, made on first use; every suite that needs it calls `CLICohort.get()`.
    static func get() throws -> CLICohort { try shared.get() }

    private static let shared = Result { try CLICohort() }

    /// Where the cohort lives: one folder per test process, removed at exit.
    private static let folderPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("m2ae-clitests-\(getpid())").path

    private init() throws {
        folder = URL(fileURLWithPath: Self.folderPath)
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: CLICohort.folderPath) }
        store = folder.appendingPathComponent("cohort.h5")
        bare = folder.appendingPathComponent("bare.h5")
        model = folder.appendingPathComponent("tiny.safetensors")
        probes = folder.appendingPathComponent("tiny.safetensors.probes.json")
        report = folder.appendingPathComponent("evaluation.md")

        synth = try m2aeSucceeds(["synth", "--subjects", "\(Self.subjects)", "--segments", "\(Self.segmentsPerSubject)",
                                  "--seed", "7", "--out", store.path, "--json"])
        try FileManager.default.copyItem(at: store, to: bare)
        try m2aeSucceeds(["embed", store.path, "--model", model.path, "--init", "random", "--config", "tiny", "--seed", "3"])
        let info = try m2aeSucceeds(["info", store.path, "--json"])
        guard let models = info.jsonObject?["models"] as? [[String: Any]], models.count == 1,
              let id = models[0]["id"] as? String else {
            throw CommandRunner.Failure(description: "info --json of the embedded cohort lists no single model:\n\(info)")
        }
        modelID = id
        evaluate = try m2aeSucceeds(["evaluate", "--train", store.path, "--model", model.path, "--bootstrap", "10",
                                     "--no-random-baseline", "--no-handcrafted", "--report", report.path, "--json"])
    }
}

// MARK: - Running the command

/// Runs `m2ae arguments…` (see `CommandRunner`).
@discardableResult
func m2ae(_ arguments: [String], in directory: URL? = nil) throws -> CommandRunner.Result {
    try CommandRunner.run(arguments, in: directory)
}

/// Runs `m2ae arguments…` and throws, with what it printed, unless it exits 0.
@discardableResult
func m2aeSucceeds(_ arguments: [String], in directory: URL? = nil) throws -> CommandRunner.Result {
    let r = try CommandRunner.run(arguments, in: directory)
    guard r.status == 0 else { throw CommandRunner.Failure(description: "expected exit 0:\n\(r)") }
    return r
}

// MARK: - Expectations

/// Expects a clean failure: exit status ≠ 0, nothing on standard output, and exactly one
/// line on standard error that contains every string of `mentions` (the file and the problem).
func expectOneLineError(_ r: CommandRunner.Result, mentions: [String],
                        sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status != 0, "\(r)", sourceLocation: sourceLocation)
    #expect(r.stdout.isEmpty, "an error must print nothing on stdout: \(r)", sourceLocation: sourceLocation)
    #expect(r.stderrLines.count == 1, "expected one line on stderr: \(r)", sourceLocation: sourceLocation)
    for m in mentions {
        #expect(r.stderr.contains(m), "stderr does not mention '\(m)': \(r)", sourceLocation: sourceLocation)
    }
}

/// The names (recursively, relative) of everything in `folder`, sorted: compared before and
/// after a failing command to prove it left no file behind.
func listing(_ folder: URL) -> [String] {
    let base = folder.standardizedFileURL.path
    let all = FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []
    return all.sorted()
}
