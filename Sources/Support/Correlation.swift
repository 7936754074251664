/// Pearson correlation and root-mean-square difference of two series.
///
/// One convention for every caller: a result that is not defined is `nil`, never 0 or NaN.
/// Pearson r is undefined for series of different lengths, fewer than two pairs, a side whose
/// variance is zero (constant) or a non-finite sample (scipy answers NaN for the last two); RMSE
/// is undefined for series of different lengths or no pairs, and a non-finite sample makes it
/// non-finite. Callers that must skip missing samples filter them first.

/// Pearson's r of `x` and `y` (scipy.stats.pearsonr's statistic), two-pass in Double, clamped
/// to [−1, 1].
/// - Returns: r, or nil when it is undefined (different lengths, fewer than two pairs, a
///   constant side or a non-finite sample).
/// - Complexity: O(n).
@inlinable
public func pearson<X: RandomAccessCollection, Y: RandomAccessCollection>(_ x: X, _ y: Y) -> Double?
where X.Element: BinaryFloatingPoint, Y.Element: BinaryFloatingPoint {
    guard x.count >= 2, x.count == y.count else { return nil }
    let n = Double(x.count)
    let mx = x.reduce(0.0) { $0 + Double($1) } / n, my = y.reduce(0.0) { $0 + Double($1) } / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
        let dx = Double(a) - mx, dy = Double(b) - my
        sxy += dx * dy; sxx += dx * dx; syy += dy * dy
    }
    guard sxx > 0, syy > 0, sxx.isFinite, syy.isFinite, sxy.isFinite else { return nil }
    return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
}

/// Root-mean-square difference of `x` and `y`, √(Σ (xᵢ − yᵢ)² / n), summed in Double in order.
/// - Returns: the RMSE, or nil when the series differ in length or are empty.
/// - Complexity: O(n).
@inlinable
public func rmse<X: RandomAccessCollection, Y: RandomAccessCollection>(_ x: X, _ y: Y) -> Double?
where X.Element: BinaryFloatingPoint, Y.Element: BinaryFloatingPoint {
    guard !x.isEmpty, x.count == y.count else { return nil }
    var se = 0.0
    for (a, b) in zip(x, y) {
        let d = Double(a) - Double(b)
        se += d * d
    }
    return (se / Double(x.count)).squareRoot()
}
