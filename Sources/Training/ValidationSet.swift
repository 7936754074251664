import Model

/// The validation segments (of validation subjects only), at most `limit` of them, loaded
/// once and kept in memory (limit × 2 × T·P floats), in source order.
public struct ValidationSet: Sendable {
    public let segments: [PreparedSegment]

    /// Reads blocks in order until `limit` validation segments are gathered.
    public init(source: SegmentSource, split: SubjectSplit, limit: Int) throws {
        var out: [PreparedSegment] = []
        for k in 0..<source.blockCount where out.count < limit {
            out += try source.validationBlock(k) { split.isValidation[$0] }
        }
        segments = Array(out.prefix(limit))
    }

    /// Segments `range` as one batch.
    public func batch(_ range: Range<Int>) -> SegmentBatch {
        SegmentBatch(count: range.count, ecg: segments[range].flatMap(\.ecg), ppg: segments[range].flatMap(\.ppg))
    }
}
