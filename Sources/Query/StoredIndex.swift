import Analytics
import Foundation
import Store

/// An `IVFIndex` saved in a store under `/models/<id>/knn/<mode>/`: `centroids` [lists, dim],
/// `offsets` [lists + 1, 1], `order` [N, 1] (row indices as float32, exact below 2²⁴) and
/// `vectors` [N, dim] (the list-ordered, normalised copy). Its settings are attributes of the
/// model group: `knn.<mode>.nprobe`, `knn.<mode>.recall_at_10`, `knn.<mode>.lists`.
public enum StoredIndex {
    /// The group of one model's index for one mode.
    public static func group(model: String, mode: FingerprintMode) -> String { "/models/\(model)/knn/\(mode.rawValue)" }

    /// Largest row count whose indices float32 holds exactly.
    public static let maxRows = 1 << 24

    /// Builds, calibrates (recall@10 ≥ `target` against exact search, for queries that leave
    /// out their own subject, the default question) and saves the index of `fingerprints` into
    /// its store.
    /// - Returns: the index and the (nprobe, recall) pairs tried.
    public static func build(_ fingerprints: StoreFingerprints, lists: Int? = nil, target: Double = 0.95,
                             seed: UInt64 = 1) throws -> (IVFIndex, [(nprobe: Int, recall: Double)]) {
        let n = fingerprints.rowCount, dim = fingerprints.dim
        guard n <= maxRows else { throw AnalyticsError("\(fingerprints.store.url.path): \(n) segments is above the index limit of \(maxRows)") }
        guard n >= 2 else { throw AnalyticsError("\(fingerprints.store.url.path): an index needs at least 2 segments") }
        var index = try IVFIndex.build(base: fingerprints, lists: lists, seed: seed)
        let url = fingerprints.store.url, g = group(model: fingerprints.model, mode: fingerprints.mode)
        // The list-ordered copy, (n, dim): held in memory while the index is calibrated and
        // written (the one place analytics holds a whole fingerprint matrix).
        var ordered = [Float]()
        ordered.reserveCapacity(n * dim)
        try index.writeListOrdered(base: fingerprints) { _, chunk in ordered += chunk }
        // Calibrated for the default question: the query's own subject excluded.
        let tried = try index.calibrate(base: fingerprints, listOrdered: InMemoryRows(ordered, dim: dim), k: 10, target: target,
                                        groups: StoreQuery.excludesSameSubjectByDefault ? try StoreFingerprints.subjects(fingerprints.store) : nil)
        try StoreEditor.edit(url, expecting: fingerprints.store.identity) { edit in
            try edit.remove(g)
            try edit.createMatrix(g + "/centroids", rows: index.listCount, cols: dim)
            try edit.writeRows(g + "/centroids", start: 0, index.centroids, cols: dim)
            try edit.createMatrix(g + "/offsets", rows: index.offsets.count, cols: 1)
            try edit.writeRows(g + "/offsets", start: 0, index.offsets.map { Float($0) }, cols: 1)
            try edit.createMatrix(g + "/order", rows: n, cols: 1)
            try edit.writeRows(g + "/order", start: 0, index.order.map { Float($0) }, cols: 1)
            try edit.createMatrix(g + "/vectors", rows: n, cols: dim)
            var start = 0
            while start < n {
                let end = min(n, start + 65_536)
                try edit.writeRows(g + "/vectors", start: start, Array(ordered[start * dim ..< end * dim]), cols: dim)
                start = end
            }
            let key = "knn.\(fingerprints.mode.rawValue)."
            try edit.setAttributes(StoreLayout.model(fingerprints.model), [
                key + "nprobe": String(index.nprobe), key + "recall_at_10": String(format: "%.4f", index.measuredRecall ?? 0),
                key + "lists": String(index.listCount)])
        }
        return (index, tried)
    }

    /// The saved index and its list-ordered vectors, or nil when none is saved or it is stale
    /// (built for another row count).
    public static func load(_ fingerprints: StoreFingerprints) throws -> (index: IVFIndex, vectors: ClosureRows)? {
        let store = fingerprints.store, g = group(model: fingerprints.model, mode: fingerprints.mode)
        guard let c = try store.matrixShape(g + "/centroids"), let v = try store.matrixShape(g + "/vectors"),
              v.rows == fingerprints.rowCount, v.cols == fingerprints.dim, c.cols == fingerprints.dim else { return nil }
        let attrs = try store.modelAttributes(fingerprints.model), key = "knn.\(fingerprints.mode.rawValue)."
        let offsets = try store.matrix(g + "/offsets", rows: 0 ..< c.rows + 1).map { Int($0) }
        let order = try store.matrix(g + "/order", rows: 0 ..< v.rows).map { Int32($0) }
        let index = IVFIndex(dim: c.cols, centroids: try store.matrix(g + "/centroids", rows: 0 ..< c.rows), offsets: offsets, order: order,
                             nprobe: Int(attrs[key + "nprobe"] ?? "") ?? 8, measuredRecall: Double(attrs[key + "recall_at_10"] ?? ""))
        let path = g + "/vectors", dim = v.cols
        return (index, ClosureRows(rowCount: v.rows, dim: dim) { try store.matrix(path, rows: $0) })
    }
}
