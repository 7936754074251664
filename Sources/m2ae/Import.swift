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

            Where a recording has both, its ECG → PPG delay (R peak to steepest pulse upstroke, \
            median over its clean segments) is measured and stored with it; the model sees \
            every measured record's PPG at one delay, 0.30 s (docs/training.md, "Device delay").

            --manifest cohort.csv lists the recordings instead: a header with path and subject, \
            optionally ecg, ppg and rate per row (overriding --ecg, --ppg, --rate), and label \
            columns, stored per subject or per record and shown by m2ae info (docs/import.md).
            """
        )

        @Argument(help: "Recordings: WFDB records (.hea or record path), EDF/BDF files, CSV files, MATLAB .mat files.")
        var paths: [String] = []

        @Option(help: "A cohort manifest (CSV: path, subject, optional ecg, ppg, rate, and label columns) instead of paths.")
        var manifest: String?

        @Option(name: .customLong("kind"), help: ArgumentHelp("With --manifest: a label column's kind instead of the inferred one (binary, categorical or numeric); repeatable.", valueName: "NAME=KIND"))
        var kinds: [String] = []

        @Option(name: .long, help: "The store to create (replaced atomically if it exists).")
        var out: String

        @Option(help: "Sampling rate in Hz for CSV files without a time column and MAT signals without an fs/freq field (10–100000).")
        var rate: Double?

        @Option(help: "The ECG channel's name, 0-based column, or MAT variable path (data.ekg.v, sig[0], sig[:,0]) (default: the first of II, MLII, ECG, EKG, I, V, …).")
        var ecg: String?

        @Option(help: "The PPG channel's name, 0-based column, or MAT variable path (default: the first of PLETH, PPG, BVP, …).")
        var ppg: String?

        @Option(help: "Subject id for every record (default: each record's name).")
        var subject: String?

        @Flag(help: "Read all paths as one recording (files that each hold some of its channels, like a MAT file per modality).")
        var together = false

        @Flag(help: "Print the summary as JSON (docs/import.md).")
        var json = false

        func validate() throws {
            if let rate, !Segmenter.acceptedRates.contains(rate) {
                throw ValidationError("--rate must be within \(Int(Segmenter.acceptedRates.lowerBound))–\(Int(Segmenter.acceptedRates.upperBound)) Hz")
            }
            if manifest != nil && !paths.isEmpty { throw ValidationError("give recordings or --manifest, not both") }
            if manifest != nil && subject != nil { throw ValidationError("--subject does not apply to a manifest (it has a subject column)") }
            if manifest != nil && together { throw ValidationError("--together does not apply to a manifest (one row is one recording)") }
            if paths.isEmpty && manifest == nil { throw ValidationError("give at least one recording (or --manifest)") }
            if manifest == nil && !kinds.isEmpty { throw ValidationError("--kind applies to a manifest's label columns") }
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
            noteRemovedLeftovers(of: URL(fileURLWithPath: out))
            let summary: Importer.Summary
            do {
                let cohort = try manifest.map { try Manifest.read(URL(fileURLWithPath: $0), kinds: try LabelCommand.kinds(kinds)) }
                let bar = ProgressBar("import", total: cohort?.entries.count ?? (together ? 1 : paths.count), unit: "rec")
                let advance: (Int, Importer.RecordSummary) -> Void = { _, r in bar.advance(status: "\(r.record): \(r.segments) seg") }
                if let cohort {
                    summary = try Importer.run(manifest: cohort, out: URL(fileURLWithPath: out), options: options, progress: advance)
                } else {
                    summary = try Importer.run(paths: paths.map { URL(fileURLWithPath: $0) },
                                               out: URL(fileURLWithPath: out), options: options, progress: advance)
                }
                bar.finish(status: "\(summary.segments) segments")
            } catch let e as CustomStringConvertible & Error {
                throw CLIError(e.description)
            }
            if json { try printJSON(summary); return }
            print("\(summary.store): \(summary.segments) segments from \(summary.records.count) records, \(summary.subjects) subjects")
            for r in summary.records {
                let flags = r.flags.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("  \(r.record) [\(r.format)] ECG \(r.ecgChannels.joined(separator: "/").isEmpty ? "absent" : r.ecgChannels.joined(separator: "/")) · PPG \(r.ppgChannels.isEmpty ? "absent" : r.ppgChannels.joined(separator: "/")) · \(r.segments) segments" + (r.ppgDelay.map { String(format: " · delay %.0f ms", 1000 * $0) } ?? "") + (flags.isEmpty ? "" : " · flags: \(flags)"))
                for n in r.notes.prefix(3) { print("    note: \(n)") }
                if r.notes.count > 3 { print("    … \(r.notes.count - 3) more notes") }
            }
            for l in summary.labels {
                let classes = l.classes.isEmpty ? "" : ": " + l.classes.joined(separator: ", ")
                print("  label \(l.name) [\(l.kind), per \(l.scope)]\(classes)")
            }
        }
    }
}
