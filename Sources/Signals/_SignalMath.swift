import Foundation

// MARK: - Internal helpers shared by the signal-processing code
//
// Everything here works in Double on plain arrays; the public API converts from and to Float
// once at its boundary, so filters and detectors never lose precision in the middle.

enum SignalMath {
    /// Linear interpolation over NaN (and ±inf) samples; edges hold the nearest finite value.
    ///
    /// - Returns: the filled samples, or nil when no sample is finite.
    static func fillGaps(_ x: [Double]) -> [Double]? {
        guard let first = x.firstIndex(where: \.isFinite) else { return nil }
        var y = x
        for i in 0..<first { y[i] = x[first] }
        var last = first
        var i = first + 1
        while i < x.count {
            if x[i].isFinite {
                if i - last > 1 {
                    let a = x[last], b = x[i], span = Double(i - last)
                    for j in (last + 1)..<i { y[j] = a + (b - a) * Double(j - last) / span }
                }
                last = i
            }
            i += 1
        }
        for j in (last + 1)..<max(last + 1, x.count) { y[j] = x[last] }
        return y
    }

    /// True for a usable sampling rate: finite, positive, at most 1 MHz (larger rates would
    /// overflow the sample-count arithmetic); every public function returns its empty result
    /// for any other rate.
    static func isValidRate(_ rate: Double) -> Bool { rate > 0 && rate <= 1e6 }

    /// Mean of the samples (0 for an empty array).
    static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count)
    }

    /// Population standard deviation (0 for fewer than two samples).
    static func std(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }

    /// Sample standard deviation (n − 1 in the denominator; NaN for fewer than two values).
    static func sampleStd(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        let m = mean(x)
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
    }

    /// The q-quantile with linear interpolation, like numpy's default, of the non-NaN values
    /// (NaN sorts nowhere, so it is left out); `q` is clamped to 0…1. NaN when no value is left
    /// or `q` is NaN. By selection (`OrderStatistics`), the same value as interpolating the
    /// sorted samples in O(n) expected time.
    static func quantile(_ x: [Double], _ q: Double) -> Double {
        var scratch = x.filter { !$0.isNaN }
        guard !scratch.isEmpty, !q.isNaN else { return .nan }
        return OrderStatistics.quantile(&scratch, min(max(q, 0), 1))
    }

    /// The median (NaN when empty).
    static func median(_ x: [Double]) -> Double { quantile(x, 0.5) }

    /// Centred moving average over `width` samples (shrinking window at the edges).
    static func movingAverage(_ x: [Double], width: Int) -> [Double] {
        let n = x.count, w = max(1, width)
        guard n > 0 else { return [] }
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + x[i] }
        let left = (w - 1) / 2, right = w - 1 - left
        return (0..<n).map { i in
            let a = max(0, i - left), b = min(n - 1, i + right)
            return (prefix[b + 1] - prefix[a]) / Double(b - a + 1)
        }
    }

    /// Index of the largest value of `x` in `range` (clamped to the array); nil when empty.
    static func argmax(_ x: [Double], in range: Range<Int>) -> Int? {
        let r = range.clamped(to: 0..<x.count)
        guard !r.isEmpty else { return nil }
        var best = r.lowerBound
        for i in r where x[i] > x[best] { best = i }
        return best
    }

    /// Index of the smallest value of `x` in `range` (clamped to the array); nil when empty.
    static func argmin(_ x: [Double], in range: Range<Int>) -> Int? {
        let r = range.clamped(to: 0..<x.count)
        guard !r.isEmpty else { return nil }
        var best = r.lowerBound
        for i in r where x[i] < x[best] { best = i }
        return best
    }

    /// True when the filtered signal `y` carries no variation beyond rounding of the input `x`
    /// (peak-to-peak of `y` at most 1e-7 of the largest magnitude of `x`).
    static func isFlat(_ y: [Double], reference x: [Double]) -> Bool {
        guard let lo = y.min(), let hi = y.max() else { return true }
        let scale = x.reduce(0) { max($0, abs($1)) }
        return !(hi - lo > 1e-7 * scale) || !(hi - lo > 0)
    }

    /// Central-difference derivative per sample (one-sided at the ends).
    static func derivative(_ x: [Double]) -> [Double] {
        let n = x.count
        guard n > 1 else { return [Double](repeating: 0, count: n) }
        var d = [Double](repeating: 0, count: n)
        d[0] = x[1] - x[0]
        d[n - 1] = x[n - 1] - x[n - 2]
        for i in 1..<(n - 1) { d[i] = (x[i + 1] - x[i - 1]) / 2 }
        return d
    }
}
