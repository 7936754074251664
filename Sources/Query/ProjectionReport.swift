import Analytics
import Foundation
import Store

/// What `m2ae project` computed and saved: PCA of every segment and UMAP of up to
/// `umapLimit` segments, as `/models/<id>/projections/{pca,umap}` [N, 2] (rows not embedded
/// are NaN), with trustworthiness@10 of both on a common sample.
public struct ProjectionReport: Sendable, Codable {
    public var store: String
    public var model: String
    public var mode: FingerprintMode
    public var segments: Int
    /// Segments with a finite fingerprint (others get NaN coordinates).
    public var finite: Int
    /// Segments UMAP embedded (evenly strided when the store is larger than the limit).
    public var umapPoints: Int
    /// Variance along PC1 and PC2, and their share of the total.
    public var pcaVariance: [Double]
    public var pcaVarianceShare: Double
    /// trustworthiness@10 of each projection on the same sample of `trustworthinessPoints`.
    public var pcaTrustworthiness: Double
    public var umapTrustworthiness: Double
    public var trustworthinessPoints: Int
    public var seconds: [String: Double]

    // MARK: - Compute and save

    /// Computes both projections of `mode` fingerprints and saves them in the store.
    /// - Parameters: umapLimit: most points given to UMAP; sampleLimit: points of the trustworthiness sample.
    public static func compute(store: RecordStore, model: String?, mode: FingerprintMode, umapLimit: Int = 20_000,
                               sampleLimit: Int = 4_000, seed: UInt64 = 42) throws -> ProjectionReport {
        let fp = try StoreFingerprints(store: store, model: model, mode: mode)
        let n = fp.rowCount, dim = fp.dim
        var clock = Date()
        var seconds = [String: Double]()
        func lap(_ name: String) { seconds[name] = Date().timeIntervalSince(clock); clock = Date() }

        let pca = try PCA.fit(fp, components: 2)
        var pcaRows = [Float](repeating: .nan, count: n * 2)
        var finiteRows = [Int]()
        var start = 0
        while start < n {
            let end = min(n, start + 8192)
            let rows = try fp.rows(start ..< end)
            let projected = pca.transform(rows)
            for i in 0..<(end - start) where (0..<dim).allSatisfy({ rows[i * dim + $0].isFinite }) {
                finiteRows.append(start + i)
                pcaRows[(start + i) * 2] = projected[i * 2]; pcaRows[(start + i) * 2 + 1] = projected[i * 2 + 1]
            }
            start = end
        }
        lap("pca")
        let picks = strided(finiteRows, limit: umapLimit)
        var points = [Float]()
        points.reserveCapacity(picks.count * dim)
        for r in picks { points += try fp.rows(r ..< r + 1) }
        let umapPoints = try UMAP(seed: seed).embed(points, dim: dim)
        var umapRows = [Float](repeating: .nan, count: n * 2)
        for (p, r) in picks.enumerated() { umapRows[r * 2] = umapPoints[p * 2]; umapRows[r * 2 + 1] = umapPoints[p * 2 + 1] }
        lap("umap")
        let sample = strided(Array(picks.indices), limit: sampleLimit)
        let sx = sample.flatMap { points[$0 * dim ..< ($0 + 1) * dim] }
        let su = sample.flatMap { umapPoints[$0 * 2 ..< $0 * 2 + 2] }
        let sp = sample.flatMap { pcaRows[picks[$0] * 2 ..< picks[$0] * 2 + 2] }
        let k = min(10, sample.count / 2 - 1)
        let tu = try Trustworthiness.score(input: sx, dim: dim, embedding: su, embeddingDim: 2, k: k)
        let tp = try Trustworthiness.score(input: sx, dim: dim, embedding: sp, embeddingDim: 2, k: k)
        lap("trustworthiness")
        let total = try totalVariance(fp)
        let report = ProjectionReport(store: store.url.path, model: fp.model, mode: mode, segments: n, finite: finiteRows.count,
                                      umapPoints: picks.count, pcaVariance: pca.explainedVariance,
                                      pcaVarianceShare: total > 0 ? pca.explainedVariance.reduce(0, +) / total : 0,
                                      pcaTrustworthiness: tp, umapTrustworthiness: tu, trustworthinessPoints: sample.count, seconds: seconds)
        let group = StoreLayout.projections(model: fp.model)
        try StoreEditor.edit(store.url, expecting: store.identity) { edit in
            for (name, rows) in [("pca", pcaRows), ("umap", umapRows)] {
                try edit.createMatrix(group + "/" + name, rows: n, cols: 2)
                var s = 0
                while s < n {
                    let e = min(n, s + 65_536)
                    try edit.writeRows(group + "/" + name, start: s, Array(rows[s * 2 ..< e * 2]), cols: 2)
                    s = e
                }
            }
            try edit.setAttributes(StoreLayout.model(fp.model), [
                "projection.mode": mode.rawValue, "projection.umap.points": String(picks.count),
                "projection.umap.seed": String(seed),
                "projection.pca.trustworthiness_at_10": String(format: "%.4f", tp),
                "projection.umap.trustworthiness_at_10": String(format: "%.4f", tu)])
        }
        return report
    }

    /// At most `limit` evenly strided elements of `items`.
    static func strided(_ items: [Int], limit: Int) -> [Int] {
        guard items.count > limit else { return items }
        return (0..<limit).map { items[$0 * items.count / limit] }
    }

    /// Sum of the column variances of the finite rows (the covariance trace).
    static func totalVariance(_ fp: StoreFingerprints) throws -> Double {
        let d = fp.dim
        var sum = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
        var count = 0
        var start = 0
        while start < fp.rowCount {
            let end = min(fp.rowCount, start + 8192)
            let rows = try fp.rows(start ..< end)
            for i in 0..<(end - start) where (0..<d).allSatisfy({ rows[i * d + $0].isFinite }) {
                count += 1
                for j in 0..<d { let v = Double(rows[i * d + j]); sum[j] += v; sq[j] += v * v }
            }
            start = end
        }
        guard count > 1 else { return 0 }
        return (0..<d).reduce(0) { $0 + (sq[$1] - sum[$1] * sum[$1] / Double(count)) / Double(count - 1) }
    }

    // MARK: - Table

    /// The report as text.
    public func table() -> String {
        [
            "projections of \(finite)/\(segments) \(mode.rawValue) fingerprints of model \(model) saved in \(store)",
            String(format: "PCA   variance %.4g, %.4g (%.1f%% of total)   trustworthiness@10 %.4f   %.2f s",
                   pcaVariance[0], pcaVariance[1], 100 * pcaVarianceShare, pcaTrustworthiness, seconds["pca"] ?? 0),
            String(format: "UMAP  %d points                          trustworthiness@10 %.4f   %.2f s",
                   umapPoints, umapTrustworthiness, seconds["umap"] ?? 0),
            "(trustworthiness on \(trustworthinessPoints) evenly strided points)",
        ].joined(separator: "\n")
    }
}
