import Foundation

/// A fitted linear probe: standardisation, weights and bias, and what its outputs mean.
/// Heads are saved as JSON in `<checkpoint>.probes.json` (docs/analytics.md).
public struct ProbeHead: Sendable, Codable, Equatable {
    /// What the head computes.
    public enum Kind: String, Sendable, Codable {
        /// Binary logistic regression: outputs [P(class 0), P(class 1)].
        case logistic
        /// Multinomial logistic regression: one probability per class.
        case multinomial
        /// Ridge regression: one value.
        case ridge
    }

    public var kind: Kind
    /// Input columns.
    public var dim: Int
    /// Standardisation: x' = (x − mean) / scale, each (dim).
    public var mean: [Float]
    public var scale: [Float]
    /// Weights, (rows, dim) row-major, and bias (rows): rows is 1 for logistic and ridge,
    /// the class count for multinomial.
    public var weights: [Float]
    public var bias: [Float]
    /// Class names (classifiers) or the target's unit (ridge, one entry).
    public var labels: [String]
    /// The regularisation chosen by cross-validation: C (logistic) or alpha (ridge).
    public var regularisation: Double

    public init(kind: Kind, dim: Int, mean: [Float], scale: [Float], weights: [Float], bias: [Float],
                labels: [String], regularisation: Double) {
        self.kind = kind; self.dim = dim; self.mean = mean; self.scale = scale
        self.weights = weights; self.bias = bias; self.labels = labels; self.regularisation = regularisation
    }

    /// Outputs per row: 2 for logistic, the class count for multinomial, 1 for ridge.
    public var outputs: Int { kind == .logistic ? 2 : bias.count }

    // MARK: - Prediction

    /// Applies the head.
    /// - Parameter x: (n, dim). - Returns: (n, outputs): probabilities, or the regression value.
    public func predict(_ x: [Float]) -> [Float] {
        let n = x.count / dim, rows = bias.count
        var out = [Float](repeating: 0, count: n * outputs)
        for i in 0..<n {
            var z = [Double](repeating: 0, count: rows)
            for r in 0..<rows {
                var t = Double(bias[r])
                for j in 0..<dim { t += Double(weights[r * dim + j]) * Double((x[i * dim + j] - mean[j]) / scale[j]) }
                z[r] = t
            }
            switch kind {
            case .ridge: out[i] = Float(z[0])
            case .logistic:
                let p = 1 / (1 + exp(-z[0]))
                out[i * 2] = Float(1 - p); out[i * 2 + 1] = Float(p)
            case .multinomial:
                let m = z.max() ?? 0
                let e = z.map { exp($0 - m) }, s = e.reduce(0, +)
                for r in 0..<rows { out[i * rows + r] = Float(e[r] / s) }
            }
        }
        return out
    }
}

/// Column means and scales of an (n, dim) matrix (a constant column gets scale 1).
func standardisation(_ x: [Float], dim: Int) -> (mean: [Float], scale: [Float]) {
    let n = x.count / dim
    var mean = [Double](repeating: 0, count: dim), sq = [Double](repeating: 0, count: dim)
    for i in 0..<n { for j in 0..<dim { mean[j] += Double(x[i * dim + j]) } }
    for j in 0..<dim { mean[j] /= Double(max(n, 1)) }
    for i in 0..<n { for j in 0..<dim { let d = Double(x[i * dim + j]) - mean[j]; sq[j] += d * d } }
    let scale = sq.map { s -> Float in let sd = (s / Double(max(n, 1))).squareRoot(); return sd > 1e-12 ? Float(sd) : 1 }
    return (mean.map { Float($0) }, scale)
}

/// (x − mean) / scale, in double, (n, dim).
func standardise(_ x: [Float], mean: [Float], scale: [Float]) -> [Double] {
    let dim = mean.count
    return x.indices.map { Double((x[$0] - mean[$0 % dim]) / scale[$0 % dim]) }
}
