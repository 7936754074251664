import Testing

// MARK: - Tensor comparison and finite differences

/// The largest absolute difference between two equal-length arrays (∞ on a length mismatch).
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    var worst: Float = 0
    for i in a.indices {
        let d = abs(a[i] - b[i])
        if d.isNaN { return .infinity }
        worst = max(worst, d)
    }
    return worst
}

/// Compares `actual` to `expected` (llm.c's check_tensor): absolute max difference ≤ `tol`,
/// or with `relative` the max difference divided by the largest |expected| (normwise
/// relative error). Records an issue naming the label, the error and the first mismatches.
@discardableResult
func checkTensor(_ actual: [Float], _ expected: [Float], tol: Float, relative: Bool = false,
                 _ label: String, sourceLocation: SourceLocation = #_sourceLocation) -> Float {
    guard actual.count == expected.count else {
        Issue.record("\(label): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return .infinity
    }
    let scale = relative ? max(expected.map(abs).max() ?? 0, 1e-12) : 1
    let err = maxAbsDiff(actual, expected) / scale
    if !(err <= tol) {
        var firsts: [String] = []
        for i in actual.indices where abs(actual[i] - expected[i]) / scale > tol || actual[i].isNaN {
            firsts.append("[\(i)] \(actual[i]) vs \(expected[i])")
            if firsts.count == 5 { break }
        }
        Issue.record("\(label): \(relative ? "relative" : "max abs") error \(err) > \(tol); first: \(firsts.joined(separator: ", "))",
                     sourceLocation: sourceLocation)
    }
    return err
}

/// Adds `base` to every element (the expected value of a `+=` into a pre-filled buffer).
func plus(_ values: [Float], _ base: [Float]) -> [Float] {
    zip(values, base).map { $0 + $1 }
}

/// Central finite differences of `L = Σ forward(inputs) ⊙ dout` (accumulated in Double)
/// with respect to every element of every input; returns, per input, the normwise relative
/// error of `analytic` against them.
func finiteDifferenceErrors(inputs: [[Float]], dout: [Float], analytic: [[Float]], h: Float = 1e-2,
                            forward: ([[Float]]) -> [Float]) -> [Double] {
    func loss(_ x: [[Float]]) -> Double {
        let out = forward(x)
        var s: Double = 0
        for i in out.indices { s += Double(out[i]) * Double(dout[i]) }
        return s
    }
    var errors: [Double] = []
    for (k, input) in inputs.enumerated() {
        var worst: Double = 0
        var scale: Double = 1e-6
        for i in input.indices {
            var x = inputs
            x[k][i] = input[i] + h
            let up = loss(x)
            x[k][i] = input[i] - h
            let down = loss(x)
            let numeric = (up - down) / (2 * Double(h))
            worst = max(worst, abs(numeric - Double(analytic[k][i])))
            scale = max(scale, abs(numeric))
        }
        errors.append(worst / scale)
    }
    return errors
}
