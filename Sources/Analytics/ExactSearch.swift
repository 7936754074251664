import Dispatch
import Support

/// Exact cosine top-k search by blocked sgemm: the base matrix is read once, block by block,
/// each block multiplied against a batch of queries, and the best k kept per query.
///
/// Memory: the queries, one base block (blockRows, dim) and one score tile
/// (queryBatch, blockRows), whatever the base size.
/// - Complexity: O(nq · n · dim) multiply-adds in sgemm plus O(nq · n) comparisons.
public struct ExactSearch: Sendable {
    /// Base rows per sgemm block.
    public var blockRows: Int
    /// Queries per sgemm tile.
    public var queryBatch: Int
    /// Normalise base rows before scoring (off when the rows are known to be unit-norm).
    public var normaliseBase: Bool

    public init(blockRows: Int = 4096, queryBatch: Int = 1024, normaliseBase: Bool = true) {
        self.blockRows = blockRows; self.queryBatch = queryBatch; self.normaliseBase = normaliseBase
    }

    // MARK: - API

    /// The k most cosine-similar base rows of each query, best first.
    /// - Parameters:
    ///   - queries: (nq, dim) row-major; normalised here.
    ///   - base: the searched matrix (n, dim).
    ///   - k: neighbours per query (fewer when the base, after exclusions, is smaller).
    ///   - exclusion: rows each query must not return.
    /// - Returns: nq lists of at most k neighbours, by descending score.
    public func search<S: RowSource>(queries: [Float], base: S, k: Int, exclusion: Exclusion = .none) throws -> [[Neighbour]] {
        let dim = base.dim
        guard dim > 0 else { throw AnalyticsError("cannot search rows of 0 columns") }
        precondition(k > 0 && queries.count % dim == 0, "ExactSearch: queries are not (nq, \(dim))")
        let nq = queries.count / dim
        guard nq > 0 else { return [] }
        var q = queries
        q.withUnsafeMutableBufferPointer { normaliseRows($0.baseAddress!, rows: nq, cols: dim) }
        let lists = TopKLists(queries: nq, k: k)
        defer { lists.deallocate() }
        let qb = min(queryBatch, nq), bb = min(blockRows, max(base.rowCount, 1))
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: qb * bb)   // (qb, bb)
        defer { tile.deallocate() }
        let block = UnsafeMutablePointer<Float>.allocate(capacity: bb * dim) // (bb, dim)
        defer { block.deallocate() }
        let tileRef = SendablePointer(tile)
        var start = 0
        while start < base.rowCount {
            let m = min(bb, base.rowCount - start)
            try base.withRows(start ..< start + m) { rows in
                block.update(from: rows.baseAddress!, count: m * dim)
            }
            if normaliseBase { normaliseRows(block, rows: m, cols: dim) }
            q.withUnsafeBufferPointer { qp in
                var q0 = 0
                while q0 < nq {
                    let qn = min(qb, nq - q0)
                    sgemm(tile, qp.baseAddress! + q0 * dim, block, m: qn, n: m, k: dim, transB: true)
                    let base0 = start, first = q0
                    parallelChunks(qn) { range in
                        for i in range {
                            lists.offer(query: first + i, scores: tileRef.pointer + i * m, m: m, base: base0, exclusion: exclusion)
                        }
                    }
                    q0 += qn
                }
            }
            start += m
        }
        return lists.results()
    }
}

// MARK: - Internal API

/// Runs `body` over 0..<n split into contiguous chunks, one per active processor.
func parallelChunks(_ n: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let workers = min(activeProcessors, max(n / 16, 1))
    guard workers > 1 else { body(0 ..< n); return }
    let step = (n + workers - 1) / workers
    parallelFor(workers) { w in
        let lo = w * step, hi = min(n, lo + step)
        if lo < hi { body(lo ..< hi) }
    }
}
