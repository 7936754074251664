import Foundation
import Testing
@testable import Signals
import Support

// MARK: - Selection-based quantiles equal the sort-based ones; one-pass quality rules

@Suite struct OrderStatisticsTests {
    /// Inputs that stress a quickselect: random, many duplicates (clipped signals), sorted,
    /// reversed, constant, organ-pipe, two values, and the tiny sizes.
    static func inputs() -> [[Double]] {
        var rng = SplitMix64(seed: 17)
        func next() -> Double { rng.uniform() }
        let random = (0..<2501).map { _ in next() - 0.5 }
        let duplicates = (0..<2500).map { _ in (next() * 7).rounded(.down) }
        let sorted = (0..<1000).map(Double.init)
        let pipe = (0..<1000).map { Double(min($0, 999 - $0)) }
        let twoValues = (0..<999).map { Double($0 % 2) }
        return [random, duplicates, sorted, Array(sorted.reversed()), pipe, twoValues,
                [Double](repeating: 3, count: 600), [1], [2, 1], [3, 1, 2], [-0.5, 4, 4, -7]]
    }

    /// numpy's linear-interpolation quantile on the fully sorted samples.
    static func sortedQuantile(_ x: [Double], _ q: Double) -> Double {
        let s = x.sorted()
        let pos = q * Double(s.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
    }

    @Test func quantileEqualsSortedQuantile() {
        for x in Self.inputs() {
            for q in [0.0, 0.02, 0.25, 0.5, 0.75, 0.98, 1.0] {
                var scratch = x
                let fast = OrderStatistics.quantile(&scratch, q)
                #expect(fast == Self.sortedQuantile(x, q), "n=\(x.count) q=\(q)")
                #expect(SignalMath.quantile(x, q) == fast)
                #expect(scratch.sorted() == x.sorted())        // a permutation, nothing lost
            }
        }
        var empty: [Double] = []
        #expect(OrderStatistics.quantile(&empty, 0.5).isNaN)
        #expect(SignalMath.quantile([], 0.5).isNaN)
    }

    @Test func selectPartitionsAroundK() {
        for x in Self.inputs() {
            for k in Set([0, x.count / 3, x.count / 2, x.count - 1]) {
                var b = x
                b.withUnsafeMutableBufferPointer { OrderStatistics.select($0, k) }
                #expect(b[k] == x.sorted()[k])
                #expect(b[..<k].allSatisfy { $0 <= b[k] } && b[(k + 1)...].allSatisfy { $0 >= b[k] })
            }
        }
    }

    @Test func clipRunAtTheSegmentEndCounts() {
        // Three rail runs of 10 samples at the top, the last one ending the segment.
        var x = (0..<1000).map { Float(sin(Double($0) * 0.05)) * 0.5 }
        for start in [100, 500, 990] { for i in start..<(start + 10) { x[i] = 1 } }
        x[0] = -1
        #expect(QualityCheck.isClipped(x, lo: -1, hi: 1, median: { 0 }))
        // A rail next to the body of the signal is a baseline, not clipping.
        #expect(!QualityCheck.isClipped(x, lo: -1, hi: 1, median: { 0.9 }))
        // Two runs are not enough, and then the median is not needed.
        for i in 990..<1000 { x[i] = 0 }
        #expect(!QualityCheck.isClipped(x, lo: -1, hi: 1, median: { Issue.record("median asked for"); return 0 }))
    }

    /// The R-peak detector's local threshold (the top-of-signal walk, with its fallback)
    /// equals thresholdFraction × the sort-based 98th percentile of every ±5 s window.
    @Test(arguments: [250.0, 125.0, 500.0, 360.0])
    func localThresholdEqualsTheWindowPercentiles(rate: Double) {
        let step = Int(rate), half = Int(5 * rate)
        for input in Self.inputs() + Self.thresholdInputs(rate: rate) {
            let got = RPeakDetector.localThreshold(input, rate: rate)
            var start = 0
            while start < input.count {
                let centre = min(input.count - 1, start + step / 2)
                let lo = max(0, centre - half), hi = min(input.count, centre + half)
                let want = RPeakDetector.thresholdFraction * Self.sortedQuantile(Array(input[lo..<hi]), 0.98)
                #expect(got[start] == want, "rate \(rate), n \(input.count), window \(lo)..<\(hi)")
                start += step
            }
        }
    }

    /// Segment-sized inputs for the local threshold: beat-like spikes, spikes only in the first
    /// quarter (later windows miss the signal's top values and fall back to selection), and a
    /// signal longer than 20 s (every window selected on its own).
    static func thresholdInputs(rate: Double) -> [[Double]] {
        let n = Int(10 * rate)
        let beats = (0..<n).map { i in i % Int(0.8 * rate) < 5 ? 10 + Double(i % 7) : Double(i % 13) / 13 }
        let early = (0..<n).map { i in i < n / 4 ? 100 + Double(i % 11) : Double(i % 17) / 17 }
        let long = (0..<(3 * n)).map { i in i % Int(0.7 * rate) < 4 ? 5 + Double(i % 5) : Double(i % 9) / 9 }
        return [beats, early, long]
    }
}
