import ArgumentParser
import Foundation
import Importers

extension M2AE {
    /// `m2ae read`: Print the physical values of every channel of a recording, as read.
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Print the physical values of every channel of a recording, as read.",
            discussion: """
            Values are printed before any resampling, one row per sample time of the fastest \
            channel (a slower channel fills only its own rows). WFDB values are \
            (stored - baseline) / gain exactly as the wfdb package computes them; nan marks \
            invalid samples. A multi-segment WFDB record prints one table per present part.
            """
        )

        @Argument(help: "The recording: a WFDB record (.hea or its path), an EDF/BDF file, a CSV file or a MATLAB .mat file.")
        var record: String

        @Flag(help: "Print CSV (time in seconds, then one column per channel) instead of a table.")
        var csv = false

        @Option(help: "Sampling rate in Hz for a CSV file without a time column or MAT signals without an fs/freq field.")
        var rate: Double?

        @Option(help: "Print at most this many rows per part.")
        var rows: Int?

        func validate() throws {
            if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
            if let rows, rows < 0 { throw ValidationError("--rows must not be negative") }
        }

        func run() throws {
            let recording = try RecordingReader.read(URL(fileURLWithPath: record), rate: rate)
            let out = FileHandle.standardOutput
            RecordingTable.write(recording, csv: csv, maxRows: rows) { out.write(Data($0.utf8)) }
        }
    }
}
