// MARK: - Row sources

/// A (rowCount, dim) float32 matrix read by row ranges: a store's fingerprints, or an
/// in-memory buffer. Searches and projections read through it block by block, so memory
/// stays bounded by one block however large the matrix.
public protocol RowSource: Sendable {
    /// Number of rows.
    var rowCount: Int { get }
    /// Columns per row.
    var dim: Int { get }
    /// True when `withRows` may be called from several threads at once.
    var concurrentReads: Bool { get }
    /// Calls `body` with the rows `range` as a flat (range.count, dim) row-major buffer.
    func withRows<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R
}

/// A row source over a flat row-major array held in memory (no copies on read).
public struct InMemoryRows: RowSource {
    /// The values, (rowCount, dim) row-major.
    public let values: [Float]
    public let dim: Int
    public var rowCount: Int { dim == 0 ? 0 : values.count / dim }
    public var concurrentReads: Bool { true }

    /// - Parameters: values: (n, dim) row-major; dim: columns.
    public init(_ values: [Float], dim: Int) {
        precondition(dim > 0 && values.count % dim == 0, "InMemoryRows: \(values.count) values is not a multiple of dim \(dim)")
        self.values = values; self.dim = dim
    }

    public func withRows<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
        try values.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[range.lowerBound * dim ..< range.upperBound * dim]))
        }
    }
}

/// A row source reading through a closure that returns a copy of the rows (a store's
/// hyperslab read). Reads are serial.
public struct ClosureRows: RowSource {
    public let rowCount: Int
    public let dim: Int
    public var concurrentReads: Bool { false }
    private let read: @Sendable (Range<Int>) throws -> [Float]

    /// - Parameters: rowCount, dim: the matrix shape; read: returns rows `range`, (range.count, dim).
    public init(rowCount: Int, dim: Int, read: @escaping @Sendable (Range<Int>) throws -> [Float]) {
        self.rowCount = rowCount; self.dim = dim; self.read = read
    }

    public func withRows<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R {
        let rows = try read(range)
        precondition(rows.count == range.count * dim, "ClosureRows: read returned \(rows.count) values for \(range.count) rows of \(dim)")
        return try rows.withUnsafeBufferPointer { try body($0) }
    }
}
