import Analytics
import Foundation
import Store

/// One segment's nearest fingerprint neighbours in its store (`StoreQuery.neighbours`): the
/// answer `m2ae knn` prints and the workbench's Neighbours pane shows (the `--json` schema is
/// this type's encoding, docs/analytics.md).
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

    /// Stores at or above this many segments use their saved index when no method is asked.
    public static let approximateFrom = 200_000

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
