import Analytics
import ArgumentParser
import Foundation

extension M2AEBench {
    /// `m2ae-bench umap`: the Swift UMAP against umap-learn on the same points: time and
    /// trustworthiness@10 (both computed by scikit-learn on the same sample).
    struct Umap: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "umap",
            abstract: "UMAP of N points: Swift vs umap-learn (time, trustworthiness@10).",
            discussion: """
            Points are the seeded fingerprint-like unit vectors of `m2ae-bench knn`. umap-learn \
            (pip install umap-learn) runs in the same invocation through reference/bench_umap.py \
            with n_neighbors 15, min_dist 0.1, cosine, PCA init; --no-peer skips it.
            """
        )

        @Option(help: "Points.") var points: Int = 20_000
        @Option(help: "Columns.") var dim: Int = 128
        @Option(help: "Timed repeats (the median is reported).") var repeats: Int = 3
        @Option(help: "Points of the trustworthiness sample.") var sample: Int = 5000
        @Flag(help: "Skip umap-learn.") var noPeer = false

        func validate() throws {
            guard points >= 100, dim >= 2, repeats >= 1, sample >= 30 else { throw ValidationError("sizes too small") }
        }

        func run() throws {
            let x = M2AEBench.Knn.clustered(rows: points, dim: dim, centres: max(1, points / 100), noise: 0.5, seed: 3)
            var embedding: [Float] = []
            let times = try BenchTiming.measure(repeats: repeats, warmUp: false) { embedding = try UMAP(seed: 42).embed(x, dim: dim) }
            let swiftMedian = BenchTiming.median(times)
            let picks = (0..<min(sample, points)).map { $0 * (points - 1) / max(1, min(sample, points) - 1) }
            let trustSwift = try Trustworthiness.score(input: picks.flatMap { x[$0 * dim ..< ($0 + 1) * dim] }, dim: dim,
                                                       embedding: picks.flatMap { embedding[$0 * 2 ..< $0 * 2 + 2] }, embeddingDim: 2, k: 10)
            print("UMAP of \(points) × \(dim) points (n_neighbors 15, min_dist 0.1, cosine, PCA init), median of \(repeats); "
                  + "trustworthiness@10 on \(picks.count) strided points; \(ProcessInfo.processInfo.activeProcessorCount) cores")
            print("| implementation | median s | trustworthiness@10 (Swift metric) | trustworthiness@10 (scikit-learn) |")
            print("|---|---|---|---|")
            var peer: [String: Double]?
            if !noPeer { peer = try Self.runPeer(x: x, dim: dim, embedding: embedding, repeats: repeats, sample: sample) }
            print(String(format: "| Swift UMAP (single-threaded SGD) | %.2f | %.4f | ", swiftMedian, trustSwift)
                  + (peer.map { String(format: "%.4f", $0["trust_swift"] ?? .nan) } ?? "–") + " |")
            if let peer {
                print(String(format: "| umap-learn | %.2f | – | %.4f |", peer["median"] ?? .nan, peer["trust_umap_learn"] ?? .nan))
            }
        }

        /// Runs reference/bench_umap.py on the same points and the Swift embedding.
        static func runPeer(x: [Float], dim: Int, embedding: [Float], repeats: Int, sample: Int) throws -> [String: Double] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-bench-umap-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let p = folder.appendingPathComponent("points.f32"), e = folder.appendingPathComponent("swift.f32")
            try x.withUnsafeBytes { try Data($0).write(to: p) }
            try embedding.withUnsafeBytes { try Data($0).write(to: e) }
            let (text, status) = try M2AEBench.runPython(
                ["reference/bench_umap.py", p.path, String(dim), e.path, String(repeats), String(sample)])
            guard status == 0, let json = try JSONSerialization.jsonObject(with: text) as? [String: Any] else {
                throw BenchError("reference/bench_umap.py failed (is umap-learn installed? scripts/bootstrap.sh --bench); use --no-peer to skip")
            }
            return json.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
    }
}
