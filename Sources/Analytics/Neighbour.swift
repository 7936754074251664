// MARK: - Neighbours and exclusions

/// One search hit: a row of the searched matrix and its cosine similarity to the query.
public struct Neighbour: Sendable, Hashable, Codable {
    /// Row index in the searched matrix (a segment index for a store).
    public var index: Int
    /// Cosine similarity, in [-1, 1].
    public var score: Float
    public init(index: Int, score: Float) { self.index = index; self.score = score }
}

/// Which rows a query must not return: its own row, and optionally every row of its group
/// (its subject, for "exclude same subject").
public struct Exclusion: Sendable {
    /// Group of each base row, (n); nil: no group exclusion.
    public var baseGroups: [Int32]?
    /// Group of each query, (nq); used with `baseGroups`.
    public var queryGroups: [Int32]?
    /// Base row of each query itself, or -1 when the query is not a base row, (nq).
    public var queryRows: [Int]?

    public init(baseGroups: [Int32]? = nil, queryGroups: [Int32]? = nil, queryRows: [Int]? = nil) {
        self.baseGroups = baseGroups; self.queryGroups = queryGroups; self.queryRows = queryRows
    }

    /// Nothing excluded.
    public static let none = Exclusion()
}

/// A fixed-size best-k list per query, kept sorted by descending score in flat buffers:
/// scores (nq, k) and rows (nq, k). Row -1 marks an empty slot.
struct TopKLists: @unchecked Sendable {
    let k: Int
    let count: Int
    let scores: UnsafeMutablePointer<Float>   // (nq, k)
    let rows: UnsafeMutablePointer<Int>       // (nq, k)

    init(queries: Int, k: Int) {
        self.k = k; count = queries
        scores = .allocate(capacity: queries * k); scores.initialize(repeating: -.infinity, count: queries * k)
        rows = .allocate(capacity: queries * k); rows.initialize(repeating: -1, count: queries * k)
    }

    func deallocate() { scores.deallocate(); rows.deallocate() }

    /// Offers a row of `m` scores for query q whose first column is base row `base`.
    @inline(__always)
    func offer(query q: Int, scores s: UnsafePointer<Float>, m: Int, base: Int, exclusion: Exclusion) {
        let top = scores + q * k, idx = rows + q * k
        var threshold = top[k - 1]
        let selfRow = exclusion.queryRows?[q] ?? -1
        let group = exclusion.queryGroups?[q]
        for j in 0..<m where s[j] > threshold {
            let row = base + j
            if row == selfRow { continue }
            if let group, let groups = exclusion.baseGroups, groups[row] == group { continue }
            var p = k - 1
            while p > 0 && top[p - 1] < s[j] { top[p] = top[p - 1]; idx[p] = idx[p - 1]; p -= 1 }
            top[p] = s[j]; idx[p] = row
            threshold = top[k - 1]
        }
    }

    /// Offers `m` scores for query q whose j-th column is base row `rowMap[j]`.
    @inline(__always)
    func offer(query q: Int, scores s: UnsafePointer<Float>, m: Int, rowMap: UnsafePointer<Int32>, exclusion: Exclusion) {
        let top = scores + q * k, idx = rows + q * k
        var threshold = top[k - 1]
        let selfRow = exclusion.queryRows?[q] ?? -1
        let group = exclusion.queryGroups?[q]
        for j in 0..<m where s[j] > threshold {
            let row = Int(rowMap[j])
            if row == selfRow { continue }
            if let group, let groups = exclusion.baseGroups, groups[row] == group { continue }
            var p = k - 1
            while p > 0 && top[p - 1] < s[j] { top[p] = top[p - 1]; idx[p] = idx[p - 1]; p -= 1 }
            top[p] = s[j]; idx[p] = row
            threshold = top[k - 1]
        }
    }

    /// Merges another list's (k) entries for query q: rows (k, Int, -1 = empty), already filtered.
    func offer(query q: Int, scores s: UnsafePointer<Float>, m: Int, rowMap: UnsafePointer<Int>) {
        let top = scores + q * k, idx = rows + q * k
        for j in 0..<m where rowMap[j] >= 0 && s[j] > top[k - 1] {
            var p = k - 1
            while p > 0 && top[p - 1] < s[j] { top[p] = top[p - 1]; idx[p] = idx[p - 1]; p -= 1 }
            top[p] = s[j]; idx[p] = rowMap[j]
        }
    }

    /// The lists as neighbour arrays, empty slots dropped.
    func results() -> [[Neighbour]] {
        (0..<count).map { q in
            (0..<k).compactMap { j in rows[q * k + j] < 0 ? nil : Neighbour(index: rows[q * k + j], score: scores[q * k + j]) }
        }
    }
}
