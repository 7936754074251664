import Analytics
import Foundation
import Model
import Store

/// The questions the command line and the workbench ask of one store, answered one way:
/// a segment's nearest fingerprint neighbours (exact search, or the store's saved IVF index),
/// its predictions with their familiarity, its saved 2-D maps (or a PCA map computed on request),
/// and who a segment belongs to.
///
/// `m2ae knn`, `m2ae predict` and the workbench's `StoreServices` all call this type, so the
/// same question gets the same answer in the terminal and in the TUI.
///
/// What is read once is kept: the segments' subject indices (N × 4 bytes), each mode's
/// fingerprints when they fit `memoryLimit` bytes (else they are read in slices on every
/// exact search), and each mode's saved index (centroids, offsets and row order; its
/// list-ordered vectors are read list by list per query).
/// Not thread-safe (HDF5 is not): call it from one thread or one serial queue.
public final class StoreQuery: @unchecked Sendable {
    /// The store asked.
    public let store: RecordStore
    /// Largest fingerprint matrix (bytes) kept in memory per model and mode.
    public let memoryLimit: Int

    /// Whether a neighbour search leaves out the query's own subject unless told otherwise:
    /// true. A clinician who selects a segment asks "who else looks like this?"; the same
    /// person's other segments are near by construction and would fill the list.
    public static let excludesSameSubjectByDefault = true

    private var subjectIndices: [Int32]?
    private var inMemory: [String: InMemoryRows] = [:]
    private var indexes: [String: (index: IVFIndex, vectors: ClosureRows)?] = [:]

    /// - Parameters:
    ///   - store: the opened store.
    ///   - memoryLimit: fingerprint matrices up to this many bytes are read once and kept.
    public init(store: RecordStore, memoryLimit: Int = 64 << 20) {
        self.store = store; self.memoryLimit = memoryLimit
    }

    // MARK: - Segments

    /// The subject index of segment `segment` (read once for every segment, then kept).
    public func subjectIndex(_ segment: Int) throws -> Int {
        Int(try subjects()[segment])
    }

    /// The subject of segment `segment`, or a placeholder subject "?" when its index is out of range.
    public func subject(ofSegment segment: Int) throws -> Subject {
        let s = try subjectIndex(segment)
        return store.subjects.indices.contains(s) ? store.subjects[s] : Subject(id: "?")
    }

    /// True when segment `segment` has a finite `mode` fingerprint of `model` (false when the
    /// modality was absent, so that the model could not fingerprint it).
    public func hasFingerprint(_ segment: Int, model: String?, mode: FingerprintMode) throws -> Bool {
        let fp = try StoreFingerprints(store: store, model: model, mode: mode)
        guard segment >= 0, segment < fp.rowCount else { return false }
        return try fp.rows(segment ..< segment + 1).allSatisfy(\.isFinite)
    }

    // MARK: - Neighbours

    /// The `k` segments whose `mode` fingerprints are most cosine-similar to segment
    /// `segment`'s, best first; never the segment itself.
    ///
    /// With `method` nil the store's saved IVF index is used when the store has at least
    /// `NeighbourReport.approximateFrom` segments and an index for this mode, else the exact
    /// blocked search (`ExactSearch`) over every fingerprint.
    /// - Parameters:
    ///   - model: the model id; nil: the store's only model.
    ///   - excludeSameSubject: leave out every segment of the query's subject
    ///     (default `excludesSameSubjectByDefault`).
    /// - Throws: `AnalyticsError` naming the store when the segment is out of range, has no
    ///   fingerprint of the mode, or `.ivf` is asked without a saved index.
    /// - Complexity: exact: O(N · dim); IVF: O((lists + nprobe · N / lists) · dim).
    public func neighbours(of segment: Int, model: String?, mode: FingerprintMode, k: Int,
                           excludeSameSubject: Bool = excludesSameSubjectByDefault,
                           method: NeighbourReport.Method? = nil) throws -> NeighbourReport {
        let fingerprints = try StoreFingerprints(store: store, model: model, mode: mode)
        guard segment >= 0, segment < store.segmentCount else {
            throw AnalyticsError("\(store.url.path): segment \(segment) is out of range (0..<\(store.segmentCount))")
        }
        guard k >= 1 else { throw AnalyticsError("k must be at least 1") }
        let query = try fingerprints.rows(segment ..< segment + 1)
        guard query.allSatisfy(\.isFinite) else {
            throw AnalyticsError("\(store.url.path): segment \(segment) has no \(mode.rawValue) fingerprint (modality absent?)")
        }
        let subjects = try subjects()
        var exclusion = Exclusion(queryRows: [segment])
        if excludeSameSubject { exclusion.baseGroups = subjects; exclusion.queryGroups = [subjects[segment]] }
        let saved = method == .exact ? nil : try savedIndex(fingerprints)
        if method == .ivf && saved == nil {
            throw AnalyticsError("\(store.url.path): no saved \(mode.rawValue) index for model '\(fingerprints.model)' (run `m2ae knn STORE --build-index`)")
        }
        let useIndex = saved != nil && (method == .ivf || store.segmentCount >= NeighbourReport.approximateFrom)
        let hits: [Neighbour]
        if useIndex, let saved {
            hits = try saved.index.search(queries: query, listOrdered: saved.vectors, k: k, exclusion: exclusion)[0]
        } else if let rows = try rowsInMemory(fingerprints) {
            hits = try ExactSearch().search(queries: query, base: rows, k: k, exclusion: exclusion)[0]
        } else {
            hits = try ExactSearch().search(queries: query, base: fingerprints, k: k, exclusion: exclusion)[0]
        }
        var out = [NeighbourReport.Hit]()
        for h in hits {
            let meta = try store.meta(h.index ..< h.index + 1)[0]
            out.append(NeighbourReport.Hit(segment: h.index, subject: try subject(ofSegment: h.index).id, record: meta.record,
                                           start: meta.start, score: h.score))
        }
        return NeighbourReport(store: store.url.path, model: fingerprints.model, mode: mode, segment: segment,
                               subject: try subject(ofSegment: segment).id, k: k, excludeSameSubject: excludeSameSubject,
                               method: useIndex ? .ivf : .exact, indexRecallAt10: useIndex ? saved?.index.measuredRecall : nil,
                               neighbours: out)
    }

    // MARK: - Predictions

    /// Every probe head of `probes` for `mode` on segment `segment`'s fingerprint, with its
    /// familiarity (`Prediction.predict`).
    /// - Parameter model: the checkpoint's model, run for the masked-reconstruction half of the
    ///   familiarity check; nil judges by the fingerprint distance alone.
    public func prediction(of segment: Int, probes: ProbeFile, mode: FingerprintMode, model: M2AEModel? = nil) throws -> Prediction {
        try Prediction.predict(store: store, probes: probes, segment: segment, mode: mode, model: model)
    }

    // MARK: - Saved maps

    /// The saved 2-D map `name` ("pca", "umap") of `model`'s fingerprints of `mode`, (N, 2)
    /// row-major, or nil when the store has none. A mode-specific map (`pca-ecg`) wins over the
    /// default one (`pca`, which `m2ae project` saves for the mode it was given).
    public func projection(_ name: String, model: String, mode: FingerprintMode) throws -> [Float]? {
        let base = StoreLayout.projections(model: model) + "/" + name
        for path in [base + "-" + mode.rawValue, base] where mode == .both ? path == base : true {
            guard let shape = try store.matrixShape(path), shape.rows == store.segmentCount, shape.cols >= 2 else { continue }
            let m = try store.matrix(path, rows: 0 ..< shape.rows)
            if shape.cols == 2 { return m }
            return (0 ..< shape.rows).flatMap { [m[$0 * shape.cols], m[$0 * shape.cols + 1]] }
        }
        return nil
    }

    /// A PCA map (two components, `Analytics.PCA` over slices) of `model`'s fingerprints of
    /// `mode`, computed now and not saved (`m2ae project` saves its maps), (N, 2) row-major;
    /// rows without a finite fingerprint get NaN.
    /// - Parameter blockRows: rows read per slice.
    /// - Complexity: two passes over the fingerprints, O(N · dim²).
    public func pcaMap(model: String, mode: FingerprintMode, blockRows: Int = 8192) throws -> [Float] {
        let rows = try StoreFingerprints(store: store, model: model, mode: mode)
        let pca = try PCA.fit(rows, components: 2, blockRows: blockRows)
        var out = [Float](repeating: .nan, count: rows.rowCount * 2)
        for lo in stride(from: 0, to: rows.rowCount, by: blockRows) {
            let range = lo ..< min(rows.rowCount, lo + blockRows)
            let block = try rows.rows(range)
            for r in 0 ..< range.count {
                let x = Array(block[(r * rows.dim) ..< ((r + 1) * rows.dim)])
                guard x.allSatisfy(\.isFinite) else { continue }
                let y = pca.transform(x)
                out[(lo + r) * 2] = y[0]; out[(lo + r) * 2 + 1] = y[1]
            }
        }
        return out
    }

    // MARK: - Internals

    private func subjects() throws -> [Int32] {
        if let subjectIndices { return subjectIndices }
        let read = try StoreFingerprints.subjects(store)
        subjectIndices = read
        return read
    }

    /// The fingerprints as one in-memory matrix when they fit `memoryLimit`, read once.
    private func rowsInMemory(_ fp: StoreFingerprints) throws -> InMemoryRows? {
        let key = fp.model + "/" + fp.mode.rawValue
        if let kept = inMemory[key] { return kept }
        guard fp.rowCount * fp.dim * MemoryLayout<Float>.size <= memoryLimit, fp.rowCount > 0 else { return nil }
        let rows = InMemoryRows(try fp.rows(0 ..< fp.rowCount), dim: fp.dim)
        inMemory[key] = rows
        return rows
    }

    private func savedIndex(_ fp: StoreFingerprints) throws -> (index: IVFIndex, vectors: ClosureRows)? {
        let key = fp.model + "/" + fp.mode.rawValue
        if let kept = indexes[key] { return kept }
        let loaded = try StoredIndex.load(fp)
        indexes[key] = .some(loaded)
        return loaded
    }
}
