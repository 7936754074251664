import ArgumentParser
import Foundation
import Importers

extension M2AE {
    /// `m2ae import`: Import WFDB, EDF, CSV or MATLAB recordings into a new store.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import WFDB, EDF, CSV or MATLAB recordings into a new store.",
            discussion: """
            Each recording's ECG lead (II, MLII, ECG, …) and PPG channel (PLETH, PPG, …) are \
            picked by name, resampled to 125 Hz and cut into 10-s segments with quality flags \
            (flat, clipped, wrapped, nan-run). A recording with only one modality is imported \
            with the other marked absent. The store is written only when every file imports.
            """
        )

        @Argument(help: "Recordings: WFDB records (.hea or record path), EDF/BDF files, CSV files, MATLAB .mat files.")
        var paths: [String]

        @Option(name: .long, help: "The store to create (replaced atomically if it exists).")
        var out: String

        @Option(help: "Sampling rate in Hz for CSV files without a time column and MAT signals without an fs/freq field.")
        var rate: Double?

        @Option(help: "The ECG channel's name, or a MAT variable path (data.ekg.v, sig[0], sig[:,0]) (default: the first of II, MLII, ECG, EKG, I, V, …).")
        var ecg: String?

        @Option(help: "The PPG channel's name, or a MAT variable path (default: the first of PLETH, PPG, BVP, …).")
        var ppg: String?

        @Option(help: "Subject id for every record (default: each record's name).")
        var subject: String?

        @Flag(help: "Read all paths as one recording (files that each hold some of its channels, like a MAT file per modality).")
        var together = false

        @Flag(help: "Print the summary as JSON (docs/import.md).")
        var json = false

        func validate() throws {
            if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
            if paths.isEmpty { throw ValidationError("give at least one recording") }
        }

        func run() throws {
            AllocatorPolicy.retainFreedMemory()
            var options = Importer.Options()
            options.picker = ChannelPicker(ecg: ecg, ppg: ppg)
            options.csvRate = rate
            options.subject = subject
            options.together = together
            options.attributes = ["generator": "m2ae import",
                                  "command": CommandLine.arguments.dropFirst().joined(separator: " ")]
            let bar = ProgressBar("import", total: together ? 1 : paths.count, unit: "rec")
            let summary: Importer.Summary
            do {
                summary = try Importer.run(paths: paths.map { URL(fileURLWithPath: $0) },
                                           out: URL(fileURLWithPath: out), options: options) { _, r in
                    bar.advance(status: "\(r.record): \(r.segments) seg")
                }
            } catch let e as CustomStringConvertible & Error {
                throw CLIError(e.description)
            }
            bar.finish(status: "\(summary.segments) segments")
            if json { try printJSON(summary); return }
            print("\(summary.store): \(summary.segments) segments from \(summary.records.count) records, \(summary.subjects) subjects")
            for r in summary.records {
                let flags = r.flags.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("  \(r.record) [\(r.format)] ECG \(r.ecgChannels.joined(separator: "/").isEmpty ? "absent" : r.ecgChannels.joined(separator: "/")) · PPG \(r.ppgChannels.isEmpty ? "absent" : r.ppgChannels.joined(separator: "/")) · \(r.segments) segments" + (flags.isEmpty ? "" : " · flags: \(flags)"))
                for n in r.notes.prefix(3) { print("    note: \(n)") }
                if r.notes.count > 3 { print("    … \(r.notes.count - 3) more notes") }
            }
        }
    }
}
