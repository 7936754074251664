import ArgumentParser
import Engine
import Foundation
import Store

/// The `m2ae` command: the workbench and its tools. With no subcommand it opens the
/// workbench on the sample store.
@main
struct M2AE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "m2ae",
        abstract: "M2AE Workbench: paired ECG/PPG records, biosignal fingerprints and the M2AE model.",
        version: (["0.1.0"] + BLASKernels.report).joined(separator: "\n"),
        subcommands: [
            Tui.self, Info.self, Synth.self, Import.self, Read.self,
            Embed.self, Reconstruct.self, Train.self,
            LabelCommand.self, Export.self, Knn.self, Project.self, Predict.self, Evaluate.self, Calibrate.self,
            Bench.self,
        ],
        defaultSubcommand: Tui.self
    )

    /// Runs the command. Every failure is one line on standard error (`Error: …`): usage
    /// errors keep swift-argument-parser's exit status (64) but not its help and usage lines,
    /// which `--help` prints on request.
    static func main() {
        // Before any matrix product: OpenBLAS's kernels, chosen from the CPU's features.
        BLASKernels.select()
        // A damaged file can make HDF5 loop forever inside one call (docs/reliability.md).
        let limit = ProcessInfo.processInfo.environment["M2AE_HDF5_WATCHDOG_SECONDS"].flatMap(Double.init) ?? 60
        HDF5Watchdog.start(limit: limit) { seconds in
            FileHandle.standardError.write(Data("Error: an HDF5 call has not returned for \(Int(seconds)) s: the store's metadata is damaged (or its disk stopped answering); nothing was written\n".utf8))
            Foundation.exit(1)
        }
        // And HDF5 can crash on damaged metadata: one line, and nothing of the user's lost.
        HDF5CrashGuard.install { path, library in
            "Error: \(path.map { "\($0): " } ?? "")the \(library) library crashed reading damaged data; nothing was written"
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }  // --help, --version
            let text = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("Error: \(text)\n".utf8))
            Foundation.exit(status.rawValue)
        }
    }
}
