import Foundation

// MARK: - Order statistics by selection

/// Quantiles by in-place selection (Hoare quickselect), O(n) expected instead of the
/// O(n log n) full sort of `SignalMath.quantile`, with the same result on NaN-free input.
enum OrderStatistics {
    /// The q-quantile (0…1) of `x` with numpy's linear interpolation, equal to
    /// `SignalMath.quantile(x, q)` for NaN-free `x`; NaN when empty. Reorders `x`.
    ///
    /// - Parameter x: samples `(n)`, no NaN; permuted on return.
    static func quantile(_ x: inout [Double], _ q: Double) -> Double {
        let n = x.count
        guard n > 0 else { return .nan }
        let pos = q * Double(n - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, n - 1)
        return x.withUnsafeMutableBufferPointer { b -> Double in
            select(b, lo)
            let a = b[lo]
            // An exact position returns its value (so a ±inf neighbour cannot turn it into NaN).
            guard hi > lo, pos != Double(lo) else { return a }
            // After selecting `lo`, every element past it is ≥ b[lo]; the next order statistic
            // is their minimum.
            var c = b[hi]
            for i in (hi + 1)..<n where b[i] < c { c = b[i] }
            return a + (c - a) * (pos - Double(lo))
        }
    }

    /// Permutes `b` so that `b[k]` holds the k-th smallest element, everything before it is
    /// ≤ and everything after it ≥ `b[k]`.
    ///
    /// Hoare partition around a median-of-three pivot (runs of equal values split evenly, so a
    /// clipped or stepwise signal stays linear); after `2·log₂ n + 8` rounds the remaining range
    /// is sorted instead, which bounds the worst case at O(n log n).
    static func select(_ b: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        var left = 0, right = b.count - 1
        var rounds = 2 * (Int.bitWidth - b.count.leadingZeroBitCount) + 8
        while right > left {
            if rounds == 0 {
                var rest = UnsafeMutableBufferPointer(rebasing: b[left...right])
                rest.sort()
                return
            }
            rounds -= 1
            let mid = left + (right - left) / 2
            let pivot = medianOfThree(b[left], b[mid], b[right])
            var i = left, j = right
            while i <= j {
                while b[i] < pivot { i += 1 }
                while b[j] > pivot { j -= 1 }
                if i <= j {
                    b.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // [left, j] ≤ pivot ≤ [i, right]; anything strictly between equals the pivot.
            if k <= j {
                right = j
            } else if k >= i {
                left = i
            } else {
                return
            }
        }
    }

    @inline(__always)
    private static func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
        max(min(a, b), min(max(a, b), c))
    }
}
