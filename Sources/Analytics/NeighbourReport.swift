import Foundation
import Store

/// The answer of `m2ae knn`: one segment's nearest fingerprint neighbours in its store
/// (the `--json` schema is this type's encoding, docs/analytics.md).
public struct NeighbourReport: Sendable, Codable {
    /// How the neighbours were found.
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// Exact blocked search over all segments.
        case exact
        /// The store's saved IVF index.
        case ivf
    }

    /// One neighbour with what identifies it.
    public struct Hit: Sendable, Codable {
        public var segment: Int
        public var subject: String
        public var record: String
        public var start: Double
        public var score: Float
    }

    public var store: String
    public var model: String
    public var mode: FingerprintMode
    public var segment: Int
    public var subject: String
    public var k: Int
    public var excludeSameSubject: Bool
    public var method: Method
    /// recall@10 of the index against exact search, measured when it was built (ivf only).
    public var indexRecallAt10: Double?
    public var neighbours: [Hit]

    /// Stores at or above this many segments use their saved index when `method` is nil.
    public static let approximateFrom = 200_000

    // MARK: - Query

    /// Finds the k nearest neighbours of segment `segment` (never itself).
    /// - Parameters:
    ///   - method: nil: the saved index when the store is large and has one, else exact.
    public static func query(store: RecordStore, model: String?, mode: FingerprintMode, segment: Int, k: Int,
                             excludeSameSubject: Bool, method: Method? = nil) throws -> NeighbourReport {
        let fingerprints = try StoreFingerprints(store: store, model: model, mode: mode)
        guard segment >= 0, segment < store.segmentCount else {
            throw AnalyticsError("\(store.url.path): segment \(segment) is out of range (0..<\(store.segmentCount))")
        }
        guard k >= 1 else { throw AnalyticsError("k must be at least 1") }
        let query = try fingerprints.rows(segment ..< segment + 1)
        guard query.allSatisfy(\.isFinite) else {
            throw AnalyticsError("\(store.url.path): segment \(segment) has no \(mode.rawValue) fingerprint (modality absent?)")
        }
        var exclusion = Exclusion(queryRows: [segment])
        let subjects = try StoreFingerprints.subjects(store)
        if excludeSameSubject { exclusion.baseGroups = subjects; exclusion.queryGroups = [subjects[segment]] }
        let saved = method == .exact ? nil : try StoredIndex.load(fingerprints)
        if method == .ivf && saved == nil {
            throw AnalyticsError("\(store.url.path): no saved \(mode.rawValue) index for model '\(fingerprints.model)' (run `m2ae knn STORE --build-index`)")
        }
        let useIndex = saved != nil && (method == .ivf || store.segmentCount >= approximateFrom)
        let hits: [Neighbour]
        if useIndex, let saved {
            hits = try saved.index.search(queries: query, listOrdered: saved.vectors, k: k, exclusion: exclusion)[0]
        } else {
            hits = try ExactSearch().search(queries: query, base: fingerprints, k: k, exclusion: exclusion)[0]
        }
        var out = [Hit]()
        for h in hits {
            let meta = try store.meta(h.index ..< h.index + 1)[0]
            out.append(Hit(segment: h.index, subject: store.subjects[Int(meta.subjectIndex)].id, record: meta.record, start: meta.start, score: h.score))
        }
        return NeighbourReport(store: store.url.path, model: fingerprints.model, mode: mode, segment: segment,
                               subject: store.subjects[Int(subjects[segment])].id, k: k, excludeSameSubject: excludeSameSubject,
                               method: useIndex ? .ivf : .exact, indexRecallAt10: useIndex ? saved?.index.measuredRecall : nil,
                               neighbours: out)
    }

    // MARK: - Table

    /// The report as a text table.
    public func table() -> String {
        var lines = ["\(k) nearest \(mode.rawValue) neighbours of segment \(segment) (subject \(subject)), model \(model), \(method.rawValue) search"
                     + (excludeSameSubject ? ", same subject excluded" : "")
                     + (indexRecallAt10.map { String(format: ", index recall@10 %.3f", $0) } ?? "")]
        lines.append(["rank".padded(4, right: true), "segment".padded(8, right: true), "subject".padded(12), "record".padded(16),
                      "start s".padded(8, right: true), "cosine".padded(7, right: true)].joined(separator: "  "))
        for (r, h) in neighbours.enumerated() {
            lines.append([String(r + 1).padded(4, right: true), String(h.segment).padded(8, right: true), h.subject.padded(12),
                          h.record.padded(16), String(format: "%.1f", h.start).padded(8, right: true),
                          String(format: "%.4f", h.score).padded(7, right: true)].joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}
