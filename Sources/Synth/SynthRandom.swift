import Foundation
import Support

/// A small, fast, seedable random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every subject and every segment of a cohort has its own stream, derived from the cohort
/// seed and the indices with `SynthRandom(seed:streams:)`, so a cohort is deterministic for a
/// seed and any subject or segment can be generated alone, in any order.
public struct SynthRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// A spare standard normal from the last Box–Muller pair.
    private var spare: Double?

    // MARK: - Seeding

    /// A stream for `seed` and a path of stream indices (subject, segment, purpose, …).
    public init(seed: UInt64, streams: [UInt64] = []) {
        var x = seed ^ 0x6A09_E667_F3BC_C908
        for s in streams {
            var mix = SplitMix64(state: x)
            x = mix.next() ^ (s &* 0x9E37_79B9_7F4A_7C15 &+ 0xD1B5_4A32_D192_ED03)
        }
        var mix = SplitMix64(state: x)
        s0 = mix.next(); s1 = mix.next(); s2 = mix.next(); s3 = mix.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    // MARK: - Draws

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// True with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// A standard normal draw (Marsaglia's polar method: no trigonometry; the second value of
    /// each pair is kept for the next call).
    public mutating func normal() -> Double {
        if let z = spare { spare = nil; return z }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            guard s > 0, s < 1 else { continue }
            let f = (-2 * log(s) / s).squareRoot()
            spare = v * f
            return u * f
        }
    }

    /// A normal draw with mean `mean` and standard deviation `sd`.
    public mutating func normal(_ mean: Double, _ sd: Double) -> Double { mean + sd * normal() }

    /// A normal draw clamped to [lo, hi].
    public mutating func normal(_ mean: Double, _ sd: Double, in range: ClosedRange<Double>) -> Double {
        min(max(normal(mean, sd), range.lowerBound), range.upperBound)
    }

    /// An index drawn with probability proportional to `weights`.
    public mutating func choose(_ weights: [Double]) -> Int {
        var u = uniform() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            if u < w { return i }
            u -= w
        }
        return weights.count - 1
    }
}
