import Support

/// Spherical k-means (cosine): rows and centroids are unit vectors, a row belongs to the
/// centroid of highest dot product, found by sgemm. The coarse quantiser of `IVFIndex`.
public enum SphericalKMeans {
    /// Trains `clusters` unit centroids on a sample of `data`'s rows.
    /// - Parameters:
    ///   - data: (n, dim) row-major, unit-norm rows.
    ///   - clusters: number of centroids (≤ n).
    ///   - iterations: Lloyd iterations.
    ///   - seed: fixes the initial centroids and empty-cluster reseeding.
    /// - Returns: centroids (clusters, dim) row-major, unit norm.
    public static func train(_ data: [Float], dim: Int, clusters: Int, iterations: Int = 12, seed: UInt64 = 1) -> [Float] {
        let n = data.count / dim
        precondition(clusters > 0 && clusters <= n, "SphericalKMeans: \(clusters) clusters for \(n) rows")
        var rng = SplitMix64(seed: seed)
        var picks = Array(0..<n)
        for i in 0..<clusters { picks.swapAt(i, i + rng.below(n - i)) }
        var centroids = [Float](repeating: 0, count: clusters * dim)
        for c in 0..<clusters {
            for j in 0..<dim { centroids[c * dim + j] = data[picks[c] * dim + j] }
        }
        var assignment = [Int32](repeating: 0, count: n)
        for _ in 0..<iterations {
            assign(data, dim: dim, centroids: centroids, into: &assignment)
            var sums = [Float](repeating: 0, count: clusters * dim)
            var counts = [Int](repeating: 0, count: clusters)
            for i in 0..<n {
                let c = Int(assignment[i]); counts[c] += 1
                for j in 0..<dim { sums[c * dim + j] += data[i * dim + j] }
            }
            for c in 0..<clusters where counts[c] == 0 {
                let r = rng.below(n)
                for j in 0..<dim { sums[c * dim + j] = data[r * dim + j] }
            }
            sums.withUnsafeMutableBufferPointer { normaliseRows($0.baseAddress!, rows: clusters, cols: dim) }
            centroids = sums
        }
        return centroids
    }

    /// Writes each row's nearest centroid (highest dot product) into `assignment`.
    /// - Parameters: data: (n, dim); centroids: (c, dim); assignment: (n).
    public static func assign(_ data: [Float], dim: Int, centroids: [Float], into assignment: inout [Int32]) {
        let n = data.count / dim, c = centroids.count / dim
        let block = 2048
        var tile = [Float](repeating: 0, count: block * c)   // (block, c)
        var start = 0
        while start < n {
            let m = min(block, n - start)
            data.withUnsafeBufferPointer { d in
                centroids.withUnsafeBufferPointer { cp in
                    tile.withUnsafeMutableBufferPointer { t in
                        sgemm(t.baseAddress!, d.baseAddress! + start * dim, cp.baseAddress!, m: m, n: c, k: dim, transB: true)
                    }
                }
            }
            for i in 0..<m {
                var best = 0, bestScore = -Float.infinity
                for j in 0..<c where tile[i * c + j] > bestScore { bestScore = tile[i * c + j]; best = j }
                assignment[start + i] = Int32(best)
            }
            start += m
        }
    }
}
