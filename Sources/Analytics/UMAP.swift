import Foundation
import Support

/// UMAP (McInnes, Healy & Melville 2018) on cosine distance, following umap-learn's
/// algorithm: exact kNN graph, fuzzy simplicial set (smooth kNN distances, fuzzy union),
/// PCA initialisation scaled to [0, 10], and the stochastic layout with negative sampling.
/// Single-threaded SGD, so a seed fixes the layout exactly.
public struct UMAP: Sendable {
    /// Neighbours per point, self included (umap-learn's `n_neighbors`).
    public var neighbours = 15
    /// Layout epochs; nil: 200 above 10,000 points, else 500 (umap-learn's default).
    public var epochs: Int?
    /// Negative samples per positive sample.
    public var negativeSampleRate = 5
    /// Repulsion weight.
    public var repulsion: Float = 1
    /// Curve parameters for min_dist 0.1, spread 1 (umap-learn's fitted values).
    public var a: Float = 1.576_943_5
    public var b: Float = 0.895_060_9
    public var seed: UInt64 = 42

    public init(neighbours: Int = 15, epochs: Int? = nil, seed: UInt64 = 42) {
        self.neighbours = neighbours; self.epochs = epochs; self.seed = seed
    }

    // MARK: - API

    /// Embeds the rows in 2-D.
    /// - Parameter rows: (n, dim), n > neighbours.
    /// - Returns: (n, 2) row-major.
    public func embed(_ rows: [Float], dim: Int) throws -> [Float] {
        let n = rows.count / dim
        guard n > neighbours else { throw AnalyticsError("UMAP: \(n) points is too few for \(neighbours) neighbours") }
        let knn = try ExactSearch().search(queries: rows, base: InMemoryRows(rows, dim: dim), k: neighbours - 1,
                                           exclusion: Exclusion(queryRows: Array(0..<n)))
        let graph = fuzzySimplicialSet(knn, n: n)
        let pca = try PCA.fit(InMemoryRows(rows, dim: dim), components: 2)
        var y = pca.transform(rows)
        scaleToBox(&y)
        layout(&y, graph: graph, n: n)
        return y
    }

    // MARK: - Internal API

    /// The symmetric fuzzy graph as an edge list (both directions), weights in (0, 1].
    func fuzzySimplicialSet(_ knn: [[Neighbour]], n: Int) -> [(head: Int32, tail: Int32, weight: Float)] {
        let target = log2(Double(neighbours))
        var directed = [Int64: Float]()
        directed.reserveCapacity(n * neighbours)
        let meanAll = knn.lazy.flatMap { $0 }.reduce(0.0) { $0 + Double(1 - $1.score) } / Double(max(1, n * (neighbours - 1)))
        for i in 0..<n {
            let dist = knn[i].map { Double(max(0, 1 - $0.score)) }
            let rho = dist.first { $0 > 0 } ?? 0
            var lo = 0.0, hi = Double.infinity, mid = 1.0
            for _ in 0..<64 {
                var psum = 0.0
                for d in dist { let e = d - rho; psum += e > 0 ? exp(-e / mid) : 1 }
                if abs(psum - target) < 1e-5 { break }
                if psum > target { hi = mid; mid = (lo + hi) / 2 } else { lo = mid; mid = hi == .infinity ? mid * 2 : (lo + hi) / 2 }
            }
            let meanI = dist.reduce(0, +) / Double(max(dist.count, 1))
            let sigma = max(mid, 1e-3 * (rho > 0 ? meanI : meanAll))
            for (hit, d) in zip(knn[i], dist) {
                let w = d - rho <= 0 || sigma == 0 ? 1.0 : exp(-(d - rho) / sigma)
                directed[Int64(i) << 32 | Int64(hit.index)] = Float(w)
            }
        }
        var edges: [(head: Int32, tail: Int32, weight: Float)] = []
        edges.reserveCapacity(directed.count * 2)
        for (key, w) in directed {
            let i = Int32(key >> 32), j = Int32(key & 0xFFFF_FFFF)
            let back = directed[Int64(j) << 32 | Int64(i)]
            if let back {
                guard i < j else { continue }   // each pair once, emitted both ways below
                let u = w + back - w * back
                edges.append((i, j, u)); edges.append((j, i, u))
            } else {
                edges.append((i, j, w)); edges.append((j, i, w))
            }
        }
        edges.sort { ($0.head, $0.tail) < ($1.head, $1.tail) }   // a fixed order for the seeded layout
        return edges
    }

    /// Scales each coordinate of an (n, 2) layout to [0, 10].
    func scaleToBox(_ y: inout [Float]) {
        for c in 0..<2 {
            let column = stride(from: c, to: y.count, by: 2).map { y[$0] }
            let lo = column.min() ?? 0, hi = column.max() ?? 1
            let span = hi > lo ? hi - lo : 1
            for i in stride(from: c, to: y.count, by: 2) { y[i] = 10 * (y[i] - lo) / span }
        }
    }

    /// The stochastic gradient layout (umap-learn's optimize_layout_euclidean, 2-D).
    func layout(_ y: inout [Float], graph: [(head: Int32, tail: Int32, weight: Float)], n: Int) {
        let nEpochs = epochs ?? (n > 10_000 ? 200 : 500)
        let maxW = graph.map(\.weight).max() ?? 1
        let edges = graph.filter { $0.weight >= maxW / Float(nEpochs) }
        let perSample = edges.map { Double(maxW / $0.weight) }
        let perNegative = perSample.map { $0 / Double(negativeSampleRate) }
        var nextSample = perSample, nextNegative = perNegative
        var rng = SplitMix64(seed: seed)
        let a = self.a, b = self.b, gamma = repulsion
        y.withUnsafeMutableBufferPointer { e in
            for epoch in 0..<nEpochs {
                let alpha = 1 - Float(epoch) / Float(nEpochs)
                let now = Double(epoch)
                for (s, edge) in edges.enumerated() where nextSample[s] <= now {
                    let i = Int(edge.head) * 2, j = Int(edge.tail) * 2
                    var dx = e[i] - e[j], dy = e[i + 1] - e[j + 1]
                    var d2 = dx * dx + dy * dy
                    if d2 > 0 {
                        let coeff = -2 * a * b * pow(d2, b - 1) / (a * pow(d2, b) + 1)
                        let gx = clip(coeff * dx) * alpha, gy = clip(coeff * dy) * alpha
                        e[i] += gx; e[i + 1] += gy; e[j] -= gx; e[j + 1] -= gy
                    }
                    nextSample[s] += perSample[s]
                    let negatives = Int((now - nextNegative[s]) / perNegative[s])
                    for _ in 0..<max(negatives, 0) {
                        let k = rng.below(n) * 2
                        if k == i { continue }
                        dx = e[i] - e[k]; dy = e[i + 1] - e[k + 1]
                        d2 = dx * dx + dy * dy
                        guard d2 > 0 else { continue }
                        let coeff = 2 * gamma * b / ((0.001 + d2) * (a * pow(d2, b) + 1))
                        e[i] += clip(coeff * dx) * alpha; e[i + 1] += clip(coeff * dy) * alpha
                    }
                    nextNegative[s] += Double(max(negatives, 0)) * perNegative[s]
                }
            }
        }
    }

    @inline(__always) private func clip(_ v: Float) -> Float { min(max(v, -4), 4) }
}
