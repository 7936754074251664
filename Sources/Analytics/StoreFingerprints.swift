import Foundation
import Store

/// One model's fingerprints of one mode in a store, read as a `RowSource` (hyperslabs of
/// `/models/<id>/fingerprints/<mode>`, never the whole matrix).
public struct StoreFingerprints: RowSource {
    public let store: RecordStore
    public let model: String
    public let mode: FingerprintMode
    public let rowCount: Int
    public let dim: Int
    public var concurrentReads: Bool { false }

    /// - Parameters:
    ///   - model: the model id; nil picks the store's only model.
    /// - Throws: when the store has no such model or fingerprints, or several models and none named.
    public init(store: RecordStore, model: String?, mode: FingerprintMode) throws {
        let id = try Self.resolveModel(store, model)
        let path = StoreLayout.fingerprints(model: id, mode: mode)
        guard let shape = try store.matrixShape(path) else {
            throw AnalyticsError("\(store.url.path): no \(mode.rawValue) fingerprints of model '\(id)' (run `m2ae embed`)")
        }
        guard shape.rows == store.segmentCount else {
            throw AnalyticsError("\(store.url.path): \(path) has \(shape.rows) rows for \(store.segmentCount) segments (rerun `m2ae embed --force`)")
        }
        self.store = store; self.model = id; self.mode = mode; rowCount = shape.rows; dim = shape.cols
    }

    /// The model id to use: `requested` if the store has its fingerprints, else the only one.
    public static func resolveModel(_ store: RecordStore, _ requested: String?) throws -> String {
        if let requested {
            guard store.modelIDs.contains(requested) else {
                let known = store.modelIDs.isEmpty ? "none" : store.modelIDs.joined(separator: ", ")
                throw AnalyticsError("\(store.url.path): no fingerprints of model '\(requested)' (models here: \(known))")
            }
            return requested
        }
        switch store.modelIDs.count {
        case 0: throw AnalyticsError("\(store.url.path): no fingerprints yet (run `m2ae embed STORE --model CKPT`)")
        case 1: return store.modelIDs[0]
        default: throw AnalyticsError("\(store.url.path): several models (\(store.modelIDs.joined(separator: ", "))); choose one with --model-id")
        }
    }

    public func withRows<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
        let rows = try store.fingerprints(model: model, mode: mode, range)
        return try rows.withUnsafeBufferPointer { try body($0) }
    }

    /// Rows `rows` as an array, (n, dim).
    public func rows(_ range: Range<Int>) throws -> [Float] { try store.fingerprints(model: model, mode: mode, range) }

    /// The subject index of every segment, (N), read in column slices.
    public static func subjects(_ store: RecordStore) throws -> [Int32] {
        var out = [Int32](); out.reserveCapacity(store.segmentCount)
        var start = 0
        while start < store.segmentCount {
            let end = min(store.segmentCount, start + 65_536)
            out += try store.subjectIndices(start ..< end)
            start = end
        }
        return out
    }
}
