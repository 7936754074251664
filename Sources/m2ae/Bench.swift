import ArgumentParser
import Foundation

extension M2AE {
    /// `m2ae bench`: benchmarks that print a table (medians of repeated runs).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Benchmarks: each prints a table of medians against its peer.",
            subcommands: [Store.self, Signals.self, SynthBench.self, Import.self, Layers.self, Engine.self, Knn.self, Neighbours.self, Umap.self, Tui.self, Train.self]
        )

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
}
