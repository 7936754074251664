import Analytics
import ArgumentParser
import Foundation
import Support

extension M2AEBench {
    /// `m2ae-bench knn`: exact top-k against faiss-cpu IndexFlatIP, and the IVF index's
    /// recall and speed-up, on seeded clustered unit vectors.
    struct Knn: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "knn",
            abstract: "Exact top-k vs faiss IndexFlatIP, and the IVF index (recall@10, speed-up).",
            discussion: """
            Rows are seeded unit vectors with 16-d latent structure, rows/100 "subjects" of 100 \
            segments each (docs/analytics.md). faiss runs in the same invocation through reference/bench_faiss.py \
            (pip install faiss-cpu); --no-faiss skips it.
            """
        )

        @Option(help: "Base rows.") var rows: Int = 1_000_000
        @Option(help: "Columns.") var dim: Int = 128
        @Option(help: "Queries.") var queries: Int = 1000
        @Option(name: .short, help: "Neighbours.") var k: Int = 10
        @Option(help: "Timed repeats (the median is reported).") var repeats: Int = 3
        @Option(help: "Noise around each centre (relative to the centre's scale).") var noise: Float = 0.5
        @Flag(help: "Skip the faiss peer.") var noFaiss = false

        func validate() throws {
            guard rows >= 1000, dim >= 2, queries >= 1, k >= 1, repeats >= 1 else { throw ValidationError("sizes must be positive (rows ≥ 1000)") }
        }

        func run() throws {
            let data = Self.clustered(rows: rows, dim: dim, centres: max(1, rows / 100), noise: noise, seed: 1)
            let q = Self.clustered(rows: queries, dim: dim, centres: max(1, rows / 100), noise: noise, seed: 1, drawSeed: 99)
            let base = InMemoryRows(data, dim: dim)
            let rssData = Self.peakRSS()
            let exactSearch = ExactSearch(normaliseBase: false)
            var exact: [[Neighbour]] = []
            let exactTimes = try BenchTiming.measure(repeats: repeats, warmUp: false) { exact = try exactSearch.search(queries: q, base: base, k: k) }
            let rssExact = Self.peakRSS()
            var faiss: (median: Double, agreement: Double, threads: Int)?
            if !noFaiss { faiss = try Self.runFaiss(data: data, queries: q, dim: dim, k: k, repeats: repeats, exact: exact) }

            let buildStart = Date()
            var index = try IVFIndex.build(base: base)
            var ordered = [Float](); ordered.reserveCapacity(data.count)
            try index.writeListOrdered(base: base, chunkRows: rows) { _, chunk in ordered += chunk }
            let listOrdered = InMemoryRows(ordered, dim: dim)
            let tried = try index.calibrate(base: base, listOrdered: listOrdered, k: 10, target: 0.95)
            let buildSeconds = Date().timeIntervalSince(buildStart)
            var approx: [[Neighbour]] = []
            let ivfTimes = try BenchTiming.measure(repeats: repeats, warmUp: false) { approx = try index.search(queries: q, listOrdered: listOrdered, k: k) }
            let recall = IVFIndex.recall(approx, exact)

            let exactMedian = BenchTiming.median(exactTimes), ivfMedian = BenchTiming.median(ivfTimes)
            let mb = { (b: Double) in String(format: "%.0f MB", b / 1_048_576) }
            print("exact top-\(k), \(queries) queries over \(rows) × \(dim) unit vectors (\(max(1, rows / 100)) clusters), median of \(repeats); \(ProcessInfo.processInfo.activeProcessorCount) cores")
            print("| method | median s | queries/s | vs faiss | recall@\(k) |")
            print("|---|---|---|---|---|")
            if let faiss {
                print(String(format: "| faiss IndexFlatIP (%d threads) | %.3f | %.0f | 1.00× | 1 (agreement with Swift %.4f) |",
                             faiss.threads, faiss.median, Double(queries) / faiss.median, faiss.agreement))
            }
            let ratio = { (s: Double) in faiss.map { String(format: "%.2f×", s / $0.median) } ?? "–" }
            print(String(format: "| Swift ExactSearch (blocked sgemm) | %.3f | %.0f | ", exactMedian, Double(queries) / exactMedian)
                  + ratio(exactMedian) + " | 1 |")
            print(String(format: "| Swift IVF, %d lists, nprobe %d | %.3f | %.0f | ", index.listCount, index.nprobe, ivfMedian, Double(queries) / ivfMedian)
                  + ratio(ivfMedian) + String(format: " | %.4f |", recall))
            print(String(format: "IVF speed-up over exact: %.1f×; build + calibration %.1f s (nprobe tried: ", exactMedian / ivfMedian, buildSeconds)
                  + tried.map { String(format: "%d→%.3f", $0.nprobe, $0.recall) }.joined(separator: ", ") + ")")
            print("memory: fingerprints \(mb(Double(data.count * 4))); peak RSS after data \(mb(rssData)), after exact search \(mb(rssExact)) "
                  + "(+\(mb(rssExact - rssData)) for queries, tiles and top-k lists)")
        }

        // MARK: - Helpers

        /// Unit rows with low-dimensional structure, like fingerprints: each of `centres`
        /// "subjects" is a point z of a 16-d latent space (seeded); a row is A·(z + 0.3·u) plus
        /// isotropic noise of scale `noise`/√dim·4, normalised, with A a fixed random (dim, 16)
        /// map and u a fresh latent draw. Row i belongs to subject i % centres (queries: a
        /// random subject, drawn with `drawSeed`).
        static func clustered(rows: Int, dim: Int, centres: Int, noise: Float, seed: UInt64, drawSeed: UInt64? = nil) -> [Float] {
            let latent = 16
            var rng = SplitMix64(seed: seed)
            let a = (0..<(dim * latent)).map { _ in gaussian(&rng) }      // (dim, latent)
            let z = (0..<(centres * latent)).map { _ in gaussian(&rng) }  // (centres, latent)
            var draw = SplitMix64(seed: drawSeed ?? seed &+ 1)
            var out = [Float](repeating: 0, count: rows * dim)
            var point = [Float](repeating: 0, count: latent)
            let isotropic = noise * 4 / Float(dim).squareRoot()
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<rows {
                    let c = drawSeed == nil ? i % centres : draw.below(centres)
                    for l in 0..<latent { point[l] = z[c * latent + l] + 0.3 * gaussian(&draw) }
                    var s: Float = 0
                    for j in 0..<dim {
                        var v = isotropic * gaussian(&draw)
                        for l in 0..<latent { v += a[j * latent + l] * point[l] }
                        o[i * dim + j] = v; s += v * v
                    }
                    let inv = 1 / s.squareRoot()
                    for j in 0..<dim { o[i * dim + j] *= inv }
                }
            }
            return out
        }

        static func gaussian(_ rng: inout SplitMix64) -> Float {
            let u = max(rng.unit(), 1e-7), v = rng.unit()
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }

        /// Peak resident set size of this process, in bytes.
        static func peakRSS() -> Double {
            var usage = rusage()
            getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
            return Double(usage.ru_maxrss) * 1024
        }

        /// Runs reference/bench_faiss.py on the same data; returns its median and the fraction
        /// of its top-k ids that Swift's exact search also returned.
        static func runFaiss(data: [Float], queries: [Float], dim: Int, k: Int, repeats: Int,
                             exact: [[Neighbour]]) throws -> (median: Double, agreement: Double, threads: Int) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-bench-knn-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let b = folder.appendingPathComponent("base.f32"), q = folder.appendingPathComponent("queries.f32"), ids = folder.appendingPathComponent("out.ids")
            try data.withUnsafeBytes { try Data($0).write(to: b) }
            try queries.withUnsafeBytes { try Data($0).write(to: q) }
            // faiss' OpenMP threads otherwise spin-wait, which on a shared machine slows it many-fold.
            let (text, status) = try M2AEBench.runPython(
                ["reference/bench_faiss.py", b.path, q.path, String(dim), String(k), String(repeats), ids.path],
                environment: ["OMP_WAIT_POLICY": ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"] ?? "PASSIVE"])
            guard status == 0,
                  let json = try JSONSerialization.jsonObject(with: text) as? [String: Any],
                  let median = (json["median"] as? NSNumber)?.doubleValue else {
                throw BenchError("reference/bench_faiss.py failed (is faiss-cpu installed? scripts/bootstrap.sh --bench); use --no-faiss to skip")
            }
            let raw = try Data(contentsOf: ids)
            let theirs = raw.withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
            var same = 0
            for (i, list) in exact.enumerated() {
                let mine = Set(list.map(\.index))
                same += theirs[i * k ..< (i + 1) * k].filter { mine.contains(Int($0)) }.count
            }
            return (median, Double(same) / Double(exact.count * k), (json["threads"] as? NSNumber)?.intValue ?? 0)
        }
    }
}
