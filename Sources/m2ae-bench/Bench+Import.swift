import ArgumentParser
import Foundation
import Importers

extension M2AEBench {
    /// `m2ae-bench import`: WFDB and MATLAB reading and import throughput against
    /// `wfdb.rdrecord` and `scipy.io.loadmat`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "WFDB and MAT read and import throughput against wfdb.rdrecord and scipy.io.loadmat (medians of repeated runs).",
            discussion: """
            For each record: the median time of the Python reader (wfdb.rdrecord(smooth_frames=False) \
            for WFDB records, FLAC ones included; scipy.io.loadmat for .mat files; timed inside \
            Python, interpreter start excluded), of the Swift reader (every channel's values), \
            the Swift reader's MB/s (bytes of the record's files over its time), and of the whole \
            import path (read, pick, resample to 125 Hz, cut 10-s segments, quality check; no \
            store write). Without records: the real WFDB and MAT files in ../shared/data/real and \
            a FLAC record (516x2, 320 s) that wfdb.wrsamp writes into a temporary folder. Both \
            processes run with the importer's allocator policy (AllocatorPolicy).
            """
        )

        @Argument(help: "WFDB records and .mat files (default: ../shared/data/real/{wfdb,mat} and a FLAC record).")
        var records: [String] = []

        @Option(help: "Timed runs per record and tool (the median is reported).")
        var repeats = 9

        @Option(help: "The Python interpreter with wfdb installed.")
        var python = "python3"

        @Option(help: "The oracle script that times wfdb.rdrecord.")
        var script = "reference/wfdb_oracle.py"

        @Option(help: "The oracle script that times scipy.io.loadmat.")
        var matScript = "reference/mat_oracle.py"

        func validate() throws {
            if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws {
            var flacFolder: URL?
            defer { if let flacFolder { try? FileManager.default.removeItem(at: flacFolder) } }
            var paths = records
            if paths.isEmpty {
                paths = Self.defaultRecords()
                flacFolder = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-bench-flac-\(UUID().uuidString)")
                paths += try writeFLACRecords(flacFolder!)
            }
            let tuned = AllocatorPolicy.retainFreedMemory()
            guard !paths.isEmpty else { throw BenchError("no records given and ../shared/data/real is absent") }
            let isMAT = { (path: String) in Self.isMAT(path) }
            let peer = try time(paths.filter { !isMAT($0) }, script: script, what: "wfdb.rdrecord")
                .merging(try time(paths.filter(isMAT), script: matScript, what: "scipy.io.loadmat")) { a, _ in a }
            print("m2ae-bench import: medians of \(repeats) runs (ms); speed-up = Python reader / m2ae")
            print("allocator: " + (tuned ? AllocatorPolicy.tunables + " (both processes)" : "glibc defaults"))
            let widths = [-30, 8, 9, -16, 9, 10, 9, 8, 12, 9]
            print(BenchTiming.row(["record", "samples", "MB", "peer", "peer ms", "m2ae read", "speed-up", "MB/s", "m2ae import", "speed-up"], widths))
            var totalPeer = 0.0, totalRead = 0.0, totalFull = 0.0
            for path in paths {
                let url = URL(fileURLWithPath: path)
                var samples = 0
                let read = try BenchTiming.upperMedian(BenchTiming.measure(repeats: repeats) {
                    let r = try RecordingReader.read(url)
                    samples = r.parts.reduce(0) { $0 + $1.channels.reduce(0) { $0 + $1.samples.count } }
                })
                let full = try BenchTiming.upperMedian(BenchTiming.measure(repeats: repeats) {
                    let r = try RecordingReader.read(url)
                    _ = try Segmenter.segments(of: r, file: path, picker: ChannelPicker(), subjectIndex: 0)
                })
                guard let p = peer[path] else { throw BenchError("\(path): the Python timing is missing") }
                let megabytes = Double(Self.recordBytes(url)) / 1e6
                totalPeer += p; totalRead += read; totalFull += full
                print(BenchTiming.row([url.lastPathComponent, String(samples), String(format: "%.2f", megabytes),
                                       isMAT(path) ? "scipy.loadmat" : "wfdb.rdrecord", Self.ms(p), Self.ms(read),
                                       String(format: "%.1f×", p / read), String(format: "%.0f", megabytes / read),
                                       Self.ms(full), String(format: "%.1f×", p / full)], widths))
            }
            print(BenchTiming.row(["all", "", "", "", Self.ms(totalPeer), Self.ms(totalRead), String(format: "%.1f×", totalPeer / totalRead),
                                   "", Self.ms(totalFull), String(format: "%.1f×", totalPeer / totalFull)], widths))
        }

        /// Writes the FLAC fixture records with wfdb's own writer and returns the one timed (two 516x2 signals, 320 s).
        private func writeFLACRecords(_ folder: URL) throws -> [String] {
            let (_, status) = try M2AEBench.runPython([script, "flac", folder.path], python: python)
            guard status == 0 else { throw BenchError("\(script) flac: writing the FLAC records failed (exit \(status))") }
            return [folder.appendingPathComponent("flong").path]
        }

        /// True for a MATLAB file (a `.mat` with no WFDB header beside it).
        static func isMAT(_ path: String) -> Bool {
            path.lowercased().hasSuffix(".mat")
                && !FileManager.default.fileExists(atPath: String(path.dropLast(4)) + ".hea")
        }

        /// Bytes of the files a record is read from: a MAT file, or a WFDB header and its
        /// signal files (a multi-segment record's present segments, recursively).
        static func recordBytes(_ url: URL) -> Int {
            func size(_ u: URL) -> Int { ((try? FileManager.default.attributesOfItem(atPath: u.path))?[.size] as? Int) ?? 0 }
            if isMAT(url.path) { return size(url) }
            let hea = url.pathExtension == "hea" ? url : url.appendingPathExtension("hea")
            guard let header = try? WFDBHeader.read(hea) else { return 0 }
            let folder = hea.deletingLastPathComponent()
            if let segments = header.segments {
                return size(hea) + segments.filter { !$0.isGap }.reduce(0) { total, s in
                    let u = folder.appendingPathComponent(s.name)
                    return total + (FileManager.default.fileExists(atPath: u.path + ".hea") ? recordBytes(u) : 0)
                }
            }
            return size(hea) + Set(header.signals.map(\.fileName)).reduce(0) { $0 + size(folder.appendingPathComponent($1)) }
        }

        /// The medians of the Python reader (`what`) per path, from the oracle `script`.
        private func time(_ paths: [String], script: String, what: String) throws -> [String: Double] {
            guard !paths.isEmpty else { return [:] }
            // The peer gets the same allocator policy as this process (docs/import.md).
            let (data, status) = try M2AEBench.runPython([script, "time"] + paths + ["--repeats", String(repeats)], python: python,
                                                          environment: ["GLIBC_TUNABLES": AllocatorPolicy.tunables])
            guard status == 0,
                  let times = try? JSONDecoder().decode([String: Double].self, from: data) else {
                throw BenchError("\(script): timing \(what) failed (exit \(status)); is it installed for \(python)?")
            }
            return times
        }

        /// The real WFDB records and MAT files beside the checkout, when present.
        static func defaultRecords() -> [String] {
            let base = "../shared/data/real/"
            let wfdb = ["a103l", "v102s", "041s/041s", "p000878/3269321_0002"].map { base + "wfdb/" + $0 }
                .filter { FileManager.default.fileExists(atPath: $0 + ".hea") }
            let mat = ["mimic_perform_1min_normal", "ecgkit_example_recording", "mollie_example_ECG", "mollie_example_PPG"]
                .map { base + "mat/" + $0 + ".mat" }.filter { FileManager.default.fileExists(atPath: $0) }
            return wfdb + mat
        }

        /// Milliseconds with two decimals.
        static func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1e3) }
    }
}
