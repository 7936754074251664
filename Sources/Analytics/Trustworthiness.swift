import Foundation
import Support

/// Trustworthiness of a low-dimensional embedding (Venna & Kaski), as scikit-learn's
/// `sklearn.manifold.trustworthiness` with the input space on cosine distance and the
/// embedding on Euclidean distance: 1 − 2/(n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Uᵢ} (r(i, j) − k),
/// where Uᵢ are i's k embedding neighbours that are not among its k input neighbours and
/// r(i, j) is j's rank among i's input neighbours.
///
/// Memory: one (block, n) similarity tile; the input is never held as an (n, n) matrix.
/// - Complexity: O(n² · dim) for the input similarities plus O(n²) for the embedding.
public enum Trustworthiness {
    /// - Parameters: input: (n, dim); embedding: (n, embeddingDim); k < n/2.
    public static func score(input: [Float], dim: Int, embedding: [Float], embeddingDim: Int, k: Int = 10) throws -> Double {
        let n = input.count / dim
        guard n > 0, embedding.count == n * embeddingDim else {
            throw AnalyticsError("trustworthiness: input has \(n) rows but the embedding has \(embedding.count / max(embeddingDim, 1))")
        }
        guard k < n / 2 else { throw AnalyticsError("trustworthiness: k = \(k) must be below n/2 = \(n / 2)") }
        let low = embeddingNeighbours(embedding, dim: embeddingDim, k: k)
        var unit = input
        unit.withUnsafeMutableBufferPointer { normaliseRows($0.baseAddress!, rows: n, cols: dim) }
        let block = 256
        var tile = [Float](repeating: 0, count: block * n)   // (block, n)
        let penalties = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { penalties.deallocate() }
        let out = SendablePointer(penalties)
        var start = 0
        while start < n {
            let m = min(block, n - start)
            unit.withUnsafeBufferPointer { u in
                tile.withUnsafeMutableBufferPointer { t in
                    sgemm(t.baseAddress!, u.baseAddress! + start * dim, u.baseAddress!, m: m, n: n, k: dim, transB: true)
                }
            }
            let base = start
            tile.withUnsafeBufferPointer { t in
                let tp = SendablePointer(readOnly: t.baseAddress!)
                parallelChunks(m) { range in
                    for r in range {
                        let i = base + r, row = tp.pointer + r * n
                        // rank(j) = 1 + #{l ≠ i : sim(i, l) > sim(i, j)}
                        let thresholds = low[i].map { row[$0] }
                        let floor = thresholds.min() ?? .infinity
                        var above = [Int](repeating: 0, count: thresholds.count)
                        for l in 0..<n where l != i && row[l] > floor {
                            for (t, th) in thresholds.enumerated() where row[l] > th { above[t] += 1 }
                        }
                        out.pointer[i] = above.reduce(0) { $0 + max(0, $1 + 1 - k) }
                    }
                }
            }
            start += m
        }
        let total = (0..<n).reduce(0) { $0 + penalties[$1] }
        let nn = Double(n), kk = Double(k)
        return 1 - 2 / (nn * kk * (2 * nn - 3 * kk - 1)) * Double(total)
    }

    /// Each point's k nearest embedding points (Euclidean, self excluded), by brute force.
    static func embeddingNeighbours(_ y: [Float], dim: Int, k: Int) -> [[Int]] {
        let n = y.count / dim
        let result = UnsafeMutablePointer<Int>.allocate(capacity: n * k)
        defer { result.deallocate() }
        let out = SendablePointer(result)
        y.withUnsafeBufferPointer { yp in
            let p = SendablePointer(readOnly: yp.baseAddress!)
            parallelChunks(n) { range in
                var best = [Float](repeating: .infinity, count: k), idx = [Int](repeating: -1, count: k)
                for i in range {
                    for t in 0..<k { best[t] = .infinity; idx[t] = -1 }
                    for j in 0..<n where j != i {
                        var d: Float = 0
                        for c in 0..<dim { let x = p.pointer[i * dim + c] - p.pointer[j * dim + c]; d += x * x }
                        guard d < best[k - 1] else { continue }
                        var q = k - 1
                        while q > 0 && best[q - 1] > d { best[q] = best[q - 1]; idx[q] = idx[q - 1]; q -= 1 }
                        best[q] = d; idx[q] = j
                    }
                    for t in 0..<k { out.pointer[i * k + t] = idx[t] }
                }
            }
        }
        return (0..<n).map { i in (0..<k).map { result[i * k + $0] } }
    }
}
