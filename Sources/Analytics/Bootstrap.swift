import Support

/// A point estimate with a percentile bootstrap confidence interval.
public struct Estimate: Sendable, Codable, Equatable {
    /// The metric on all samples.
    public var value: Double
    /// Lower and upper ends of the interval.
    public var lower: Double
    public var upper: Double
    /// Resamples on which the metric was defined (others, e.g. one class only, are skipped).
    public var replicates: Int

    public init(value: Double, lower: Double, upper: Double, replicates: Int) {
        self.value = value; self.lower = lower; self.upper = upper; self.replicates = replicates
    }
}

/// Bootstrap over subjects: each replicate draws subjects with replacement and takes all
/// segments of each drawn subject, so segments of one person move together.
public enum Bootstrap {
    /// - Parameters:
    ///   - groups: the subject of each sample, (n).
    ///   - replicates: number of resamples.
    ///   - level: interval coverage (0.95: the 2.5th and 97.5th percentiles, interpolated
    ///     linearly like numpy's `percentile`).
    ///   - statistic: the metric on a list of sample indices (repeats allowed); nil when undefined.
    /// - Returns: nil when the statistic is undefined on all samples.
    public static func estimate(groups: [Int32], replicates: Int = 1000, level: Double = 0.95, seed: UInt64 = 2024,
                                statistic: ([Int]) -> Double?) -> Estimate? {
        guard let value = statistic(Array(groups.indices)) else { return nil }
        var members = [Int32: [Int]]()
        for (i, g) in groups.enumerated() { members[g, default: []].append(i) }
        let subjects = members.keys.sorted()
        var rng = SplitMix64(seed: seed)
        var values: [Double] = []
        for _ in 0..<replicates {
            var sample: [Int] = []
            for _ in subjects.indices { sample += members[subjects[rng.below(subjects.count)]]! }
            if let v = statistic(sample) { values.append(v) }
        }
        guard !values.isEmpty else { return Estimate(value: value, lower: value, upper: value, replicates: 0) }
        values.sort()
        let tail = (1 - level) / 2
        return Estimate(value: value, lower: percentile(values, tail), upper: percentile(values, 1 - tail), replicates: values.count)
    }

    /// The q-quantile (0…1) of sorted values with linear interpolation.
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let pos = q * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (pos - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
