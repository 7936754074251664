import ArgumentParser
import Engine
import Foundation

/// `m2ae-bench`: benchmarks that print a table (medians of repeated runs) against their peers
/// (PyTorch, h5py, wfdb, scipy, faiss), kept apart from the `m2ae` command line because most
/// of them start Python.
@main
struct M2AEBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "m2ae-bench",
        abstract: "Benchmarks: each prints a table of medians against its peer.",
        discussion: "Run them from the project root (the peers are scripts under reference/) on a release build: swift run -c release m2ae-bench <name>.",
        subcommands: [Store.self, Signals.self, SynthBench.self, Import.self, Layers.self, Engine.self, Knn.self, Neighbours.self, Umap.self, Tui.self, Train.self, BLAS.self]
    )

    /// Runs the benchmark; every failure is one line on standard error (`Error: …`).
    static func main() {
        BLASKernels.select()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }  // --help
            let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("Error: \(text)\n".utf8))
            Foundation.exit(status.rawValue)
        }
    }

    // MARK: - Python peers

    /// Runs `python` (default: `$PYTHON`, else `python3`) with `arguments`, this process's environment plus
    /// `environment` (entries replace inherited ones), and waits for it; returns its standard
    /// output and exit status. Standard error passes through to the terminal unless `quiet`.
    static func runPython(_ arguments: [String], python: String? = nil, environment: [String: String] = [:],
                          quiet: Bool = false) throws -> (output: Data, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python ?? ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        process.standardOutput = out
        if quiet { process.standardError = FileHandle.nullDevice }
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (data, process.terminationStatus)
    }
}

/// A benchmark that cannot run: one line naming the file or peer and the problem, exit status 1.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
