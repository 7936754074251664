/// Principal component analysis by eigen-decomposition of the covariance (LAPACK dsyevd),
/// accumulated block by block so only one block of rows is in memory.
public struct PCA: Sendable, Codable {
    /// Column means, (dim).
    public let mean: [Float]
    /// Components, (components, dim) row-major, by descending variance; each component's
    /// sign is fixed so that its largest-magnitude entry is positive.
    public let components: [Float]
    /// Variance along each component (covariance eigenvalues, divisor n − 1).
    public let explainedVariance: [Double]
    public let dim: Int

    // MARK: - Fitting

    /// Fits the top `components` principal axes of `rows`; rows holding a NaN (a fingerprint
    /// of an absent modality) are left out.
    /// - Parameters: rows: (n, dim), at least 2 finite rows; components ≤ dim.
    public static func fit<S: RowSource>(_ rows: S, components: Int = 2, blockRows: Int = 8192) throws -> PCA {
        let total = rows.rowCount, d = rows.dim
        var count = 0
        precondition(components <= d, "PCA: at most \(d) components")
        var sum = [Double](repeating: 0, count: d)
        var gram = [Double](repeating: 0, count: d * d)   // (d, d) Σ xᵀx
        var block = [Double](repeating: 0, count: max(1, min(blockRows, total)) * d)
        var start = 0
        while start < total {
            let m = min(blockRows, total - start)
            var kept = 0
            try rows.withRows(start ..< start + m) { r in
                for i in 0..<m where (0..<d).allSatisfy({ r[i * d + $0].isFinite }) {
                    for j in 0..<d { block[kept * d + j] = Double(r[i * d + j]) }
                    kept += 1
                }
            }
            for i in 0..<kept { for j in 0..<d { sum[j] += block[i * d + j] } }
            if kept > 0 {
                block.withUnsafeBufferPointer { b in
                    gram.withUnsafeMutableBufferPointer { g in
                        dgemm(g.baseAddress!, b.baseAddress!, b.baseAddress!, m: d, n: d, k: kept, transA: true, beta: 1)
                    }
                }
            }
            count += kept
            start += m
        }
        guard count >= 2 else { throw AnalyticsError("PCA: needs at least 2 rows without NaN, got \(count)") }
        let n = count
        let mean = sum.map { $0 / Double(n) }
        var cov = gram
        for i in 0..<d { for j in 0..<d { cov[i * d + j] = (gram[i * d + j] - Double(n) * mean[i] * mean[j]) / Double(n - 1) } }
        guard let (values, vectors) = symmetricEigen(cov, n: d) else {
            throw AnalyticsError("PCA: the eigen-decomposition of the covariance failed")
        }
        var comps = [Float](repeating: 0, count: components * d)
        var variance = [Double]()
        for c in 0..<components {
            let col = d - 1 - c   // dsyevd sorts ascending
            let v = vectors[col * d ..< (col + 1) * d]
            let pivot = v.max { abs($0) < abs($1) } ?? 1
            let sign: Double = pivot < 0 ? -1 : 1
            for j in 0..<d { comps[c * d + j] = Float(sign * v[v.startIndex + j]) }
            variance.append(max(values[col], 0))
        }
        return PCA(mean: mean.map { Float($0) }, components: comps, explainedVariance: variance, dim: d)
    }

    // MARK: - Projecting

    /// Projects rows onto the components.
    /// - Parameter x: (n, dim). - Returns: (n, components).
    public func transform(_ x: [Float]) -> [Float] {
        let n = x.count / dim, c = components.count / dim
        var centred = x
        for i in 0..<n { for j in 0..<dim { centred[i * dim + j] -= mean[j] } }
        var out = [Float](repeating: 0, count: n * c)
        guard n > 0 else { return out }
        centred.withUnsafeBufferPointer { a in
            components.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { o in
                    sgemm(o.baseAddress!, a.baseAddress!, b.baseAddress!, m: n, n: c, k: dim, transB: true)
                }
            }
        }
        return out
    }
}
