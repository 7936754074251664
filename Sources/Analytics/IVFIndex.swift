import COpenBLAS
import Engine
import Foundation
import Support

/// An inverted-file approximate cosine index: a spherical k-means coarse quantiser splits
/// the rows into lists; a query scans only the `nprobe` lists whose centroids are closest.
///
/// The rows themselves are kept as a second, list-ordered copy (`listOrdered`), so each
/// list is one contiguous row range and a store-backed search reads lists by slice.
public struct IVFIndex: Sendable {
    /// Columns per row.
    public let dim: Int
    /// Centroids, (lists, dim) row-major, unit norm.
    public let centroids: [Float]
    /// Start of each list in list order, (lists + 1); list l is rows offsets[l]..<offsets[l+1].
    public let offsets: [Int]
    /// The base row stored at each list position, (n).
    public let order: [Int32]
    /// Lists scanned per query by default (chosen by `calibrate`).
    public var nprobe: Int
    /// recall@10 against exact search measured by `calibrate`, if run.
    public var measuredRecall: Double?

    /// Number of lists.
    public var listCount: Int { offsets.count - 1 }

    public init(dim: Int, centroids: [Float], offsets: [Int], order: [Int32], nprobe: Int, measuredRecall: Double? = nil) {
        self.dim = dim; self.centroids = centroids; self.offsets = offsets; self.order = order
        self.nprobe = nprobe; self.measuredRecall = measuredRecall
    }

    /// The default list count for n rows: about √n (1,000 lists of ~1,000 rows at 1M), at least 1.
    public static func defaultLists(rows n: Int) -> Int { max(1, min(n, Int(Double(n).squareRoot().rounded()))) }

    // MARK: - Building

    /// Trains the quantiser on an evenly strided sample and assigns every row to a list.
    /// - Parameters:
    ///   - base: the rows (n, dim), read block by block.
    ///   - lists: number of lists (default `defaultLists`).
    ///   - trainingRows: sample size for k-means (default 32 per list).
    public static func build<S: RowSource>(base: S, lists: Int? = nil, trainingRows: Int? = nil, seed: UInt64 = 1) throws -> IVFIndex {
        let n = base.rowCount, dim = base.dim
        let nl = min(lists ?? defaultLists(rows: n), n)
        let sampleCount = min(n, max(trainingRows ?? nl * 32, nl))
        let stride = max(1, n / sampleCount)
        var sample: [Float] = []
        sample.reserveCapacity(sampleCount * dim)
        let block = 8192
        var start = 0
        while start < n {
            let m = min(block, n - start)
            try base.withRows(start ..< start + m) { rows in
                var i = (stride - start % stride) % stride
                while i < m && sample.count < sampleCount * dim {
                    sample.append(contentsOf: rows[i * dim ..< (i + 1) * dim]); i += stride
                }
            }
            start += m
        }
        sample.withUnsafeMutableBufferPointer { normaliseRows($0.baseAddress!, rows: $0.count / dim, cols: dim) }
        let centroids = SphericalKMeans.train(sample, dim: dim, clusters: nl, seed: seed)
        var assignment = [Int32](repeating: 0, count: n)
        start = 0
        while start < n {
            let m = min(block, n - start)
            var rows = try base.withRows(start ..< start + m) { Array($0) }
            rows.withUnsafeMutableBufferPointer { normaliseRows($0.baseAddress!, rows: m, cols: dim) }
            var part = [Int32](repeating: 0, count: m)
            SphericalKMeans.assign(rows, dim: dim, centroids: centroids, into: &part)
            for i in 0..<m { assignment[start + i] = part[i] }
            start += m
        }
        var offsets = [Int](repeating: 0, count: nl + 1)
        for a in assignment { offsets[Int(a) + 1] += 1 }
        for l in 0..<nl { offsets[l + 1] += offsets[l] }
        var cursor = Array(offsets[0..<nl])
        var order = [Int32](repeating: 0, count: n)
        for (row, a) in assignment.enumerated() {
            order[cursor[Int(a)]] = Int32(row); cursor[Int(a)] += 1
        }
        return IVFIndex(dim: dim, centroids: centroids, offsets: offsets, order: order, nprobe: min(8, nl))
    }

    /// Produces the list-ordered, normalised copy of `base` in chunks of `chunkRows` rows,
    /// handing each to `sink(firstRow, rows)` in order. Each chunk costs one pass over the
    /// base, so memory stays at one chunk plus one block.
    public func writeListOrdered<S: RowSource>(base: S, chunkRows: Int = 262_144, sink: (Int, [Float]) throws -> Void) throws {
        let n = order.count
        var position = [Int32](repeating: 0, count: n)
        for (p, row) in order.enumerated() { position[Int(row)] = Int32(p) }
        var first = 0
        while first < n {
            let count = min(chunkRows, n - first)
            var chunk = [Float](repeating: 0, count: count * dim)
            var start = 0
            let block = 8192
            while start < n {
                let m = min(block, n - start)
                try base.withRows(start ..< start + m) { rows in
                    for i in 0..<m {
                        let p = Int(position[start + i]) - first
                        guard p >= 0 && p < count else { continue }
                        for j in 0..<dim { chunk[p * dim + j] = rows[i * dim + j] }
                    }
                }
                start += m
            }
            chunk.withUnsafeMutableBufferPointer { normaliseRows($0.baseAddress!, rows: count, cols: dim) }
            try sink(first, chunk)
            first += count
        }
    }

    // MARK: - Searching

    /// The approximately k most cosine-similar base rows of each query.
    /// - Parameters:
    ///   - queries: (nq, dim) row-major; normalised here.
    ///   - listOrdered: the copy made by `writeListOrdered` (n, dim).
    ///   - nprobe: lists scanned per query (default: the calibrated one).
    public func search<S: RowSource>(queries: [Float], listOrdered: S, k: Int, nprobe: Int? = nil,
                                     exclusion: Exclusion = .none) throws -> [[Neighbour]] {
        let nq = queries.count / dim
        guard nq > 0 else { return [] }
        let probes = min(nprobe ?? self.nprobe, listCount)
        var q = queries
        q.withUnsafeMutableBufferPointer { normaliseRows($0.baseAddress!, rows: nq, cols: dim) }
        // Coarse step: the best `probes` centroids per query, (nq, probes).
        let coarse = try ExactSearch(normaliseBase: false).search(queries: q, base: InMemoryRows(centroids, dim: dim), k: probes)
        let lists = TopKLists(queries: nq, k: k)
        defer { lists.deallocate() }
        let maxList = (0..<listCount).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        let queriesRef = q
        let work: @Sendable (Range<Int>) throws -> Void = { range in
            var scores = [Float](repeating: 0, count: max(maxList, 1))
            try scores.withUnsafeMutableBufferPointer { sp in
                try queriesRef.withUnsafeBufferPointer { qp in
                    try order.withUnsafeBufferPointer { op in
                        for qi in range {
                            for hit in coarse[qi] {
                                let lo = offsets[hit.index], hi = offsets[hit.index + 1]
                                guard hi > lo else { continue }
                                try listOrdered.withRows(lo ..< hi) { rows in
                                    withBLAS {
                                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(hi - lo), Int32(dim), 1,
                                                    rows.baseAddress!, Int32(dim), qp.baseAddress! + qi * dim, 1, 0, sp.baseAddress!, 1)
                                    }
                                }
                                lists.offer(query: qi, scores: sp.baseAddress!, m: hi - lo, rowMap: op.baseAddress! + lo, exclusion: exclusion)
                            }
                        }
                    }
                }
            }
        }
        if listOrdered.concurrentReads && nq > 1 {
            return try searchByList(queries: q, coarse: coarse, listOrdered: listOrdered, k: k, exclusion: exclusion)
        }
        try work(0 ..< nq)
        return lists.results()
    }

    /// The batched scan: each worker takes a share of the lists, multiplies every list
    /// against all queries that probe it (one sgemm per list) into its own top-k lists, and
    /// the workers' lists are merged at the end.
    func searchByList<S: RowSource>(queries q: [Float], coarse: [[Neighbour]], listOrdered: S, k: Int,
                                    exclusion: Exclusion) throws -> [[Neighbour]] {
        let nq = q.count / dim
        var inverted = [[Int]](repeating: [], count: listCount)   // list → queries probing it
        for (qi, hits) in coarse.enumerated() { for h in hits { inverted[h.index].append(qi) } }
        let probing = inverted
        let workers = max(1, min(activeProcessors, listCount))
        let partial = (0..<workers).map { _ in TopKLists(queries: nq, k: k) }
        defer { partial.forEach { $0.deallocate() } }
        let maxList = (0..<listCount).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        let maxProbing = probing.map(\.count).max() ?? 0
        try parallelFor(workers) { w in
            let lists = partial[w]
            var gathered = [Float](repeating: 0, count: max(1, maxProbing * dim))      // (|Q_l|, dim)
            var scores = [Float](repeating: 0, count: max(1, maxProbing * maxList))   // (|Q_l|, L)
            var l = w
            while l < listCount {
                defer { l += workers }
                let qs = probing[l], lo = offsets[l], hi = offsets[l + 1]
                guard !qs.isEmpty, hi > lo else { continue }
                for (r, qi) in qs.enumerated() { for j in 0..<dim { gathered[r * dim + j] = q[qi * dim + j] } }
                try listOrdered.withRows(lo ..< hi) { rows in
                    gathered.withUnsafeBufferPointer { g in
                        scores.withUnsafeMutableBufferPointer { s in
                            sgemm(s.baseAddress!, g.baseAddress!, rows.baseAddress!, m: qs.count, n: hi - lo, k: dim, transB: true)
                        }
                    }
                }
                scores.withUnsafeBufferPointer { s in
                    order.withUnsafeBufferPointer { op in
                        for (r, qi) in qs.enumerated() {
                            lists.offer(query: qi, scores: s.baseAddress! + r * (hi - lo), m: hi - lo, rowMap: op.baseAddress! + lo, exclusion: exclusion)
                        }
                    }
                }
            }
        }
        // Merge: each worker's list is sorted; offer them all to the first.
        let merged = partial[0]
        for w in 1..<workers {
            for qi in 0..<nq {
                merged.offer(query: qi, scores: partial[w].scores + qi * k, m: k, rowMap: partial[w].rows + qi * k)
            }
        }
        return merged.results()
    }

    /// Picks the smallest nprobe in 1, 2, 4, … whose recall@k against exact search, over
    /// up to `sampleQueries` seeded random base rows (each excluding itself, and its group when
    /// `groups` is given), reaches `target`; stores it and the recall it measured.
    /// - Parameter groups: the group (subject) of each base row, (n): calibrates for queries
    ///   that exclude their own group, whose neighbours lie in lists farther from the query.
    /// - Returns: the measured (nprobe, recall) pairs, in order tried.
    @discardableResult
    public mutating func calibrate<B: RowSource, L: RowSource>(base: B, listOrdered: L, k: Int = 10, target: Double = 0.95,
                                                               sampleQueries: Int = 200, groups: [Int32]? = nil) throws -> [(nprobe: Int, recall: Double)] {
        let n = base.rowCount
        var rng = SplitMix64(seed: 77)
        let picks = Array(Set((0..<min(sampleQueries, n)).map { _ in rng.below(n) })).sorted()
        var queries: [Float] = []
        for r in picks { try base.withRows(r ..< r + 1) { queries.append(contentsOf: $0) } }
        var exclusion = Exclusion(queryRows: picks)
        if let groups { exclusion.baseGroups = groups; exclusion.queryGroups = picks.map { groups[$0] } }
        let exact = try ExactSearch().search(queries: queries, base: base, k: k, exclusion: exclusion)
        var tried: [(Int, Double)] = []
        var probe = 1
        while true {
            let approx = try search(queries: queries, listOrdered: listOrdered, k: k, nprobe: probe, exclusion: exclusion)
            let r = Self.recall(approx, exact)
            tried.append((probe, r))
            if r >= target || probe >= listCount { nprobe = probe; measuredRecall = r; break }
            probe = min(probe * 2, listCount)
        }
        return tried
    }

    /// Mean fraction of each exact list's rows that the approximate list also holds.
    public static func recall(_ approx: [[Neighbour]], _ exact: [[Neighbour]]) -> Double {
        var hit = 0, total = 0
        for (a, e) in zip(approx, exact) {
            let found = Set(a.map(\.index))
            hit += e.filter { found.contains($0.index) }.count
            total += e.count
        }
        return total == 0 ? 1 : Double(hit) / Double(total)
    }
}
