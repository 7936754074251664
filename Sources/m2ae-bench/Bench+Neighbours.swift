import Analytics
import ArgumentParser
import Foundation
import Query
import Store
import Workbench
import Support

extension M2AEBench {
    /// `m2ae-bench neighbours`: the Neighbours pane's select → neighbours ready on large
    /// generated stores, through the saved IVF index and through the exact scan.
    struct Neighbours: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "neighbours",
            abstract: "The Neighbours pane on large stores: select → neighbours ready, IVF index vs exact scan.",
            discussion: """
            For each --segments N: writes a fingerprint-only bench store through the Store API \
            (StoreWriter without waveforms; fingerprints are the seeded clustered unit vectors of \
            `m2ae-bench knn`, N/100 subjects of 100 segments, one model 'bench', ECG+PPG mode), \
            builds and saves its IVF index (`m2ae knn --build-index`), then times what the pane \
            runs on a selection: `StoreServices.neighbours` (k = 10, same subject excluded; the \
            query layer picks the index from 200,000 segments), and the same question through \
            `StoreQuery` forced to the exact scan and to the index. Prints p50/p99/max and the \
            index's recall@10 against the exact answers. The store is removed afterwards unless \
            --keep.
            """
        )

        @Option(help: "Store sizes (segments); repeat the option for several.") var segments: [Int] = [100_000, 1_000_000]
        @Option(help: "Fingerprint columns (the small model's 128).") var dim: Int = 128
        @Option(help: "Timed selections through the index.") var selections: Int = 200
        @Option(help: "Timed selections through the exact scan (each reads every fingerprint).") var exactSelections: Int = 20
        @Option(help: "Folder for the bench stores (default: the temporary folder).") var folder: String?
        @Flag(help: "Keep the bench stores.") var keep = false

        func validate() throws {
            guard segments.allSatisfy({ $0 >= 1000 }), dim >= 2, selections >= 1, exactSelections >= 1 else {
                throw ValidationError("sizes must be positive (segments ≥ 1000)")
            }
        }

        func run() throws {
            let dir = URL(fileURLWithPath: folder ?? NSTemporaryDirectory())
            print("Neighbours pane, select → neighbours ready (k = 10, same subject excluded, ECG+PPG, \(dim)-d fingerprints)")
            print(["segments", "path", "selections", "p50 ms", "p99 ms", "max ms", "recall@10"].map { BenchTiming.pad($0, 14, right: true) }.joined())
            for n in segments {
                let url = dir.appendingPathComponent("m2ae-bench-neighbours-\(n)-\(getpid()).h5")
                defer { if !keep { try? FileManager.default.removeItem(at: url) } }
                var clock = BenchTiming.wallSeconds()
                try Self.writeStore(url, segments: n, dim: dim)
                let written = BenchTiming.wallSeconds() - clock
                clock = BenchTiming.wallSeconds()
                let (index, _) = try StoredIndex.build(try StoreFingerprints(store: try RecordStore(url: url), model: "bench", mode: .both))
                let built = BenchTiming.wallSeconds() - clock
                FileHandle.standardError.write(Data(String(format: "%d segments: store written in %.1f s, index (%d lists, nprobe %d) built in %.1f s\n",
                                                           n, written, index.listCount, index.nprobe, built).utf8))
                var draw = SplitMix64(seed: 7)
                let picks = (0..<max(selections, exactSelections)).map { _ in draw.below(n) }

                // The pane: StoreServices as the workbench opens it, one selection after another.
                let services = try StoreServices(url: url)
                var paneTimes: [Double] = [], paneAnswers: [[Int]] = []
                for i in picks.prefix(selections) {
                    var rows: [NeighbourRow] = []
                    paneTimes.append(try BenchTiming.time { rows = try services.neighbours(i, mode: .both, k: 10, sameSubject: false) })
                    paneAnswers.append(rows.map(\.index))
                }
                // The same questions, exact scan and index, through a fresh query layer each.
                let exactQuery = StoreQuery(store: try RecordStore(url: url)), indexQuery = StoreQuery(store: try RecordStore(url: url))
                var exactTimes: [Double] = [], indexTimes: [Double] = [], found = 0, asked = 0
                for (j, i) in picks.prefix(exactSelections).enumerated() {
                    var exact: NeighbourReport?, approx: NeighbourReport?
                    exactTimes.append(try BenchTiming.time { exact = try exactQuery.neighbours(of: i, model: "bench", mode: .both, k: 10, method: .exact) })
                    indexTimes.append(try BenchTiming.time { approx = try indexQuery.neighbours(of: i, model: "bench", mode: .both, k: 10, method: .ivf) })
                    let truth = Set(exact?.neighbours.map(\.segment) ?? [])
                    found += Set(approx?.neighbours.map(\.segment) ?? []).intersection(truth).count
                    asked += truth.count
                    if j < paneAnswers.count, n >= NeighbourReport.approximateFrom {
                        precondition(paneAnswers[j] == approx?.neighbours.map(\.segment), "the pane and the query layer's index answer differ")
                    }
                }
                let recall = asked == 0 ? 0 : Double(found) / Double(asked)
                let pane = n >= NeighbourReport.approximateFrom ? "pane (ivf)" : "pane (exact)"
                for (path, times, r) in [(pane, paneTimes, n >= NeighbourReport.approximateFrom ? recall : 1), ("exact scan", exactTimes, 1.0), ("ivf index", indexTimes, recall)] {
                    let (p50, p99) = BenchTiming.p50p99(times)
                    print([String(n), path, String(times.count), String(format: "%.1f", p50 * 1000), String(format: "%.1f", p99 * 1000),
                           String(format: "%.1f", (times.max() ?? 0) * 1000), String(format: "%.3f", r)]
                        .map { BenchTiming.pad($0, 14, right: true) }.joined())
                }
            }
        }

        /// A fingerprint-only store of `segments` clustered unit fingerprints (model "bench"),
        /// segment i of subject i mod (segments / 100), written through `StoreWriter` and `StoreEditor`.
        static func writeStore(_ url: URL, segments n: Int, dim: Int) throws {
            let subjects = max(1, n / 100)
            let writer = try StoreWriter(url: url, subjects: (0..<subjects).map { Subject(id: String(format: "B%06d", $0)) },
                                         attributes: ["generator": "m2ae-bench neighbours"], waveforms: false)
            var start = 0
            while start < n {
                let end = min(n, start + 65_536)
                try writer.append((start..<end).map { i in
                    Segment(meta: SegmentMeta(subjectIndex: Int32(i % subjects), record: "r\(i % subjects)", start: Double(i / subjects) * 10,
                                              ecgOriginalRate: 125, ppgOriginalRate: 125), ecg: [], ppg: [])
                })
                start = end
            }
            try writer.commit()
            let rows = Knn.clustered(rows: n, dim: dim, centres: subjects, noise: 0.5, seed: 1)
            try StoreEditor.edit(url) { edit in
                let path = StoreEdit.fingerprintPath(model: "bench", mode: .both)
                try edit.createMatrix(path, rows: n, cols: dim)
                var s = 0
                while s < n {
                    let e = min(n, s + 65_536)
                    try edit.writeRows(path, start: s, Array(rows[s * dim ..< e * dim]), cols: dim)
                    s = e
                }
            }
        }
    }
}
