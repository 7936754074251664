@testable import Analytics
import Support

/// Random data for the analytics tests.
enum Fixtures {
    /// (n, dim) Gaussian-ish rows clustered around `groups` centres; returns rows and group ids.
    static func clustered(n: Int, dim: Int, groups: Int, noise: Float = 0.3, seed: UInt64 = 7) -> (rows: [Float], groups: [Int32]) {
        var rng = SplitMix64(seed: seed)
        let centres = (0..<groups * dim).map { _ in gaussian(&rng) }
        var rows = [Float](repeating: 0, count: n * dim)
        var ids = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let g = i % groups
            ids[i] = Int32(g)
            for j in 0..<dim { rows[i * dim + j] = centres[g * dim + j] + noise * gaussian(&rng) }
        }
        return (rows, ids)
    }

    /// A standard normal draw (Box–Muller).
    static func gaussian(_ rng: inout SplitMix64) -> Float {
        let u = max(rng.unit(), 1e-7), v = rng.unit()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Brute-force cosine top-k by sorting, the reference for the searches.
    static func bruteTopK(queries: [Float], base: [Float], dim: Int, k: Int, skip: (Int, Int) -> Bool = { _, _ in false }) -> [[Int]] {
        let nq = queries.count / dim, n = base.count / dim
        func norm(_ x: ArraySlice<Float>) -> Float { x.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        return (0..<nq).map { q in
            let qs = queries[q * dim ..< (q + 1) * dim], qn = norm(qs)
            let scored = (0..<n).filter { !skip(q, $0) }.map { j -> (Int, Float) in
                let bs = base[j * dim ..< (j + 1) * dim]
                let dot = zip(qs, bs).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                return (j, dot / (qn * norm(bs)))
            }
            return scored.sorted { $0.1 > $1.1 }.prefix(k).map(\.0)
        }
    }
}

import Foundation
