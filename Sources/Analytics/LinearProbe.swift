import Foundation
import Support

/// Fits the linear probes on frozen features: L2 logistic regression (binary and
/// multinomial, classes weighted inversely to their frequency, like scikit-learn's
/// `class_weight="balanced"`) and ridge regression, with the regularisation chosen by
/// k-fold cross-validation over subjects.
public enum LinearProbe {
    /// Inverse regularisation strengths C tried for logistic probes.
    public static let logisticGrid: [Double] = [0.001, 0.01, 0.1, 1, 10, 100]
    /// Penalties alpha tried for ridge probes.
    public static let ridgeGrid: [Double] = [0.1, 1, 10, 100, 1000, 10_000]

    // MARK: - API

    /// Rows the regularisation is cross-validated on, at most: above it, whole subjects (in
    /// the seeded fold order) are taken until this many rows are in, and only the final head
    /// sees every row. The grid's losses are flat near their minimum, so a 20,000-row sample
    /// picks the same value while the 30 cross-validation fits stop growing with the cohort.
    public static let crossValidationRows = 20_000

    /// Cross-validates the regularisation over subject folds, then refits on all rows.
    ///
    /// Each fold fits the grid in order of weakening regularisation, each fit starting from
    /// the previous one's weights (the regularisation path).
    /// - Parameters:
    ///   - x: features (n, dim).
    ///   - target: n labels or values.
    ///   - groups: subject of each row (n); folds never split a subject.
    ///   - folds: at most this many folds (fewer when there are fewer subjects).
    ///   - sampleRows: the cross-validation row budget (``crossValidationRows``).
    /// - Returns: the head and the cross-validated loss of each grid value.
    /// - Complexity: folds × grid fits on at most `sampleRows` rows (plus one subject's), then one fit on
    ///   all n rows; a logistic fit is at most 300 L-BFGS iterations of O(n · dim · classes).
    public static func fitCV(_ x: [Float], dim: Int, target: ProbeTarget, groups: [Int32], folds: Int = 5,
                             seed: UInt64 = 11, sampleRows: Int = crossValidationRows) throws -> (head: ProbeHead, cvLoss: [Double]) {
        let n = target.count
        guard x.count == n * dim, groups.count == n else {
            throw AnalyticsError("probe: \(x.count / max(dim, 1)) feature rows, \(n) targets and \(groups.count) subjects do not match")
        }
        try check(target)
        let subjects = Array(Set(groups)).sorted()
        guard subjects.count >= 2 else { throw AnalyticsError("probe: cross-validation needs at least 2 subjects, got \(subjects.count)") }
        var rng = SplitMix64(seed: seed)
        var shuffled = subjects
        for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, rng.below(i + 1)) }
        // The cross-validation sample: whole subjects in fold order, up to the row budget.
        var rowsOf = [Int32: Int]()
        for g in groups { rowsOf[g, default: 0] += 1 }
        var sampled = [Int32](), sampledRows = 0
        for s in shuffled where sampledRows < sampleRows || sampled.count < 2 {
            sampled.append(s); sampledRows += rowsOf[s]!
        }
        let k = min(folds, sampled.count)
        let foldOf = Dictionary(uniqueKeysWithValues: sampled.enumerated().map { ($1, $0 % k) })
        let grid: [Double]
        if case .values = target { grid = ridgeGrid } else { grid = logisticGrid }
        // Each fold's summed held-out losses (grid values) or its error.
        // The folds run one after the other: OpenBLAS already uses every core for one fit's
        // products, and two folds asking for its threads at once spin on each other (measured:
        // minutes for a 2,000-segment cohort). Its thread count is process-wide, so it is
        // not lowered here either (other work of this process may be running).
        var losses = [Double](repeating: 0, count: grid.count)
        for f in 0..<k {
            let train = (0..<n).filter { foldOf[groups[$0]].map { $0 != f } ?? false }
            let test = (0..<n).filter { foldOf[groups[$0]] == f }
            let trainTarget = target.subset(train)
            if case .classes(let l, _) = trainTarget, Set(l).count < 2 { continue }
            let xt = rows(x, dim: dim, train), xv = rows(x, dim: dim, test)
            var start: [Double]?
            for (g, r) in grid.enumerated() {
                let (head, params) = try fit(xt, dim: dim, target: trainTarget, regularisation: r, start: start)
                losses[g] += loss(head, xv, target.subset(test)) * Double(test.count)
                start = params
            }
        }
        let best = losses.indices.min { losses[$0] < losses[$1] }!
        return (try fit(x, dim: dim, target: target, regularisation: grid[best]), losses.map { $0 / Double(sampledRows) })
    }

    /// Fits one head at a fixed regularisation (C for logistic, alpha for ridge).
    public static func fit(_ x: [Float], dim: Int, target: ProbeTarget, regularisation: Double) throws -> ProbeHead {
        try fit(x, dim: dim, target: target, regularisation: regularisation, start: nil).head
    }

    /// `fit`, starting a logistic fit from `start` (weights and biases on standardised
    /// features, as returned) instead of zero; also returns them.
    static func fit(_ x: [Float], dim: Int, target: ProbeTarget, regularisation: Double,
                    start: [Double]?) throws -> (head: ProbeHead, params: [Double]) {
        try check(target)
        let (mean, scale) = standardisation(x, dim: dim)
        let z = standardise(x, mean: mean, scale: scale)
        switch target {
        case .values(let y, let unit):
            return (ridge(z, dim: dim, y: y, alpha: regularisation, mean: mean, scale: scale, unit: unit), [])
        case .classes(let labels, let names):
            return logistic(z, dim: dim, labels: labels, names: names, c: regularisation, mean: mean, scale: scale, start: start)
        }
    }

    /// Mean held-out loss of a head: class-balanced log-loss for classifiers, absolute error for ridge.
    public static func loss(_ head: ProbeHead, _ x: [Float], _ target: ProbeTarget) -> Double {
        let out = head.predict(x)
        switch target {
        case .values(let y, _):
            return Metrics.meanAbsoluteError(targets: y, predictions: out) ?? 0
        case .classes(let labels, let names):
            let w = balancedWeights(labels, classes: names.count)
            var total = 0.0, weight = 0.0
            for (i, l) in labels.enumerated() {
                total -= w[i] * log(max(Double(out[i * head.outputs + l]), 1e-15)); weight += w[i]
            }
            return weight > 0 ? total / weight : 0
        }
    }

    // MARK: - Internal API

    static func check(_ target: ProbeTarget) throws {
        switch target {
        case .classes(let labels, let names):
            guard names.count >= 2 else { throw AnalyticsError("probe: a classifier needs at least 2 class names") }
            guard labels.allSatisfy({ $0 >= 0 && $0 < names.count }) else { throw AnalyticsError("probe: a label is outside 0..<\(names.count)") }
            let present = Set(labels)
            guard present.count >= 2 else {
                throw AnalyticsError("probe: only one class (\(present.first.map { names[$0] } ?? "none")) in the labels")
            }
        case .values(let y, _):
            guard y.count >= 2, y.allSatisfy({ $0.isFinite }) else { throw AnalyticsError("probe: regression needs ≥ 2 finite targets") }
        }
    }

    package static func rows(_ x: [Float], dim: Int, _ indices: [Int]) -> [Float] {
        var out = [Float](); out.reserveCapacity(indices.count * dim)
        for i in indices { out.append(contentsOf: x[i * dim ..< (i + 1) * dim]) }
        return out
    }

    /// n / (classes · count(class of i)) for each sample i; classes absent get no weight.
    static func balancedWeights(_ labels: [Int], classes: Int) -> [Double] {
        var counts = [Int](repeating: 0, count: classes)
        for l in labels { counts[l] += 1 }
        let present = Double(counts.filter { $0 > 0 }.count)
        return labels.map { Double(labels.count) / (present * Double(counts[$0])) }
    }

    /// Ridge on standardised features: (ZᵀZ + αI)·w = Zᵀ(y − ȳ), bias ȳ.
    static func ridge(_ z: [Double], dim: Int, y: [Float], alpha: Double, mean: [Float], scale: [Float], unit: String) -> ProbeHead {
        let n = y.count
        let ybar = y.reduce(0.0) { $0 + Double($1) } / Double(n)
        var a = [Double](repeating: 0, count: dim * dim)
        z.withUnsafeBufferPointer { zp in
            a.withUnsafeMutableBufferPointer { ap in dgemm(ap.baseAddress!, zp.baseAddress!, zp.baseAddress!, m: dim, n: dim, k: n, transA: true) }
        }
        for j in 0..<dim { a[j * dim + j] += alpha }
        var b = [Double](repeating: 0, count: dim)
        for i in 0..<n { let r = Double(y[i]) - ybar; for j in 0..<dim { b[j] += z[i * dim + j] * r } }
        if !solvePositiveDefinite(&a, &b, n: dim, nrhs: 1) { b = [Double](repeating: 0, count: dim) }
        return ProbeHead(kind: .ridge, dim: dim, mean: mean, scale: scale, weights: b.map { Float($0) }, bias: [Float(ybar)],
                         labels: [unit], regularisation: alpha)
    }

    /// L2 logistic regression by L-BFGS on Σᵢ sᵢ·ℓᵢ / S + ‖W‖² / (2·C·S) (scikit-learn's
    /// objective divided by C·S), sᵢ the balanced class weights, S their sum.
    static func logistic(_ z: [Double], dim: Int, labels: [Int], names: [String], c: Double, mean: [Float], scale: [Float],
                         start: [Double]? = nil) -> (head: ProbeHead, params: [Double]) {
        let n = labels.count, classes = names.count
        let rows = classes == 2 ? 1 : classes
        let s = balancedWeights(labels, classes: classes)
        let total = s.reduce(0, +)
        let lambda = 1 / (c * total)
        var params = [Double](repeating: 0, count: rows * (dim + 1))   // W (rows, dim) then b (rows)
        if let start, start.count == params.count { params = start }
        var logits = [Double](repeating: 0, count: n * rows)          // (n, rows)
        var residual = [Double](repeating: 0, count: n * rows)        // (n, rows) sᵢ·(p − y)/S
        LBFGS.minimise(&params) { p, grad in
            p.withUnsafeBufferPointer { pp in
                z.withUnsafeBufferPointer { zp in
                    logits.withUnsafeMutableBufferPointer { lp in
                        dgemm(lp.baseAddress!, zp.baseAddress!, pp.baseAddress!, m: n, n: rows, k: dim, transB: true)
                    }
                }
            }
            var f = 0.0
            for i in 0..<n {
                let w = s[i] / total
                if rows == 1 {
                    let t = logits[i] + p[dim]
                    let y = Double(labels[i])
                    f += w * (max(t, 0) + log1p(exp(-abs(t))) - y * t)
                    residual[i] = w * (1 / (1 + exp(-t)) - y)
                } else {
                    var m = -Double.infinity
                    for r in 0..<rows { logits[i * rows + r] += p[rows * dim + r]; m = max(m, logits[i * rows + r]) }
                    var sum = 0.0
                    for r in 0..<rows { sum += exp(logits[i * rows + r] - m) }
                    f += w * (m + log(sum) - logits[i * rows + labels[i]])
                    for r in 0..<rows { residual[i * rows + r] = w * (exp(logits[i * rows + r] - m) / sum - (r == labels[i] ? 1 : 0)) }
                }
            }
            residual.withUnsafeBufferPointer { rp in
                z.withUnsafeBufferPointer { zp in
                    grad.withUnsafeMutableBufferPointer { gp in
                        dgemm(gp.baseAddress!, rp.baseAddress!, zp.baseAddress!, m: rows, n: dim, k: n, transA: true)
                    }
                }
            }
            for r in 0..<rows {
                var gb = 0.0
                for i in 0..<n { gb += residual[i * rows + r] }
                grad[rows * dim + r] = gb
            }
            for j in 0..<(rows * dim) { f += lambda / 2 * p[j] * p[j]; grad[j] += lambda * p[j] }
            return f
        }
        let head = ProbeHead(kind: rows == 1 ? .logistic : .multinomial, dim: dim, mean: mean, scale: scale,
                             weights: params[0 ..< rows * dim].map { Float($0) }, bias: params[rows * dim ..< rows * (dim + 1)].map { Float($0) },
                             labels: names, regularisation: c)
        return (head, params)
    }
}
