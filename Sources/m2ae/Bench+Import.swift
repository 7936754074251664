import ArgumentParser
import Foundation
import Importers

extension M2AE.Bench {
    /// `m2ae bench import`: WFDB reading and import throughput against `wfdb.rdrecord`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "WFDB read and import throughput against wfdb.rdrecord (medians of repeated runs).",
            discussion: """
            For each record: the median time of wfdb.rdrecord(smooth_frames=False) in Python \
            (timed inside Python, interpreter start excluded), of the Swift WFDB reader (the \
            same work: every channel's physical values), and of the whole import path \
            (read, pick, resample to 125 Hz, cut 10-s segments, quality check; no store write). \
            Both processes run with the importer's allocator policy (AllocatorPolicy).
            """
        )

        @Argument(help: "WFDB records (default: the records in ../shared/data/real/wfdb).")
        var records: [String] = []

        @Option(help: "Timed runs per record and tool (the median is reported).")
        var repeats = 9

        @Option(help: "The Python interpreter with wfdb installed.")
        var python = "python3"

        @Option(help: "The oracle script that times wfdb.rdrecord.")
        var script = "reference/wfdb_oracle.py"

        func validate() throws {
            if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws {
            let paths = records.isEmpty ? Self.defaultRecords() : records
            let tuned = AllocatorPolicy.retainFreedMemory()
            guard !paths.isEmpty else { throw CLIError("no records given and ../shared/data/real/wfdb is absent") }
            let peer = try timeWFDB(paths)
            print("m2ae bench import: medians of \(repeats) runs (ms); speed-up = wfdb.rdrecord / m2ae")
            print("allocator: " + (tuned ? AllocatorPolicy.tunables + " (both processes)" : "glibc defaults"))
            let widths = [-22, 8, 14, 10, 9, 12, 9]
            print(BenchTiming.row(["record", "samples", "wfdb.rdrecord", "m2ae read", "speed-up", "m2ae import", "speed-up"], widths))
            var totalPeer = 0.0, totalRead = 0.0, totalFull = 0.0
            for path in paths {
                let url = URL(fileURLWithPath: path)
                var samples = 0
                let read = try BenchTiming.upperMedian(BenchTiming.measure(repeats: repeats) {
                    let r = try WFDBReader.read(url)
                    samples = r.parts.reduce(0) { $0 + $1.channels.reduce(0) { $0 + $1.samples.count } }
                })
                let full = try BenchTiming.upperMedian(BenchTiming.measure(repeats: repeats) {
                    let r = try WFDBReader.read(url)
                    _ = try Segmenter.segments(of: r, file: path, picker: ChannelPicker(), subjectIndex: 0)
                })
                guard let p = peer[path] else { throw CLIError("\(path): the wfdb timing is missing") }
                totalPeer += p; totalRead += read; totalFull += full
                print(BenchTiming.row([url.lastPathComponent, String(samples), Self.ms(p), Self.ms(read),
                                String(format: "%.1f×", p / read), Self.ms(full), String(format: "%.1f×", p / full)], widths))
            }
            print(BenchTiming.row(["all", "", Self.ms(totalPeer), Self.ms(totalRead), String(format: "%.1f×", totalPeer / totalRead),
                            Self.ms(totalFull), String(format: "%.1f×", totalPeer / totalFull)], widths))
        }

        /// The medians of wfdb.rdrecord per record, from the oracle script.
        private func timeWFDB(_ paths: [String]) throws -> [String: Double] {
            // The peer gets the same allocator policy as this process (docs/import.md).
            let (data, status) = try M2AE.Bench.runPython([script, "time"] + paths + ["--repeats", String(repeats)], python: python,
                                                          environment: ["GLIBC_TUNABLES": AllocatorPolicy.tunables])
            guard status == 0,
                  let times = try? JSONDecoder().decode([String: Double].self, from: data) else {
                throw CLIError("\(script): timing wfdb.rdrecord failed (exit \(status)); is wfdb installed for \(python)?")
            }
            return times
        }

        /// The real WFDB records beside the checkout, when present.
        static func defaultRecords() -> [String] {
            let base = "../shared/data/real/wfdb/"
            return ["a103l", "v102s", "041s/041s", "p000878/3269321_0002"].map { base + $0 }
                .filter { FileManager.default.fileExists(atPath: $0 + ".hea") }
        }

        /// Milliseconds with two decimals.
        static func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1e3) }
    }
}
