import Foundation

/// A small, fast, seedable random generator (SplitMix64, Steele, Lea and Flood 2014).
///
/// Every seeded computation of the project (k-means, UMAP, bootstrap, subject splits, test
/// fixtures and mutations) draws from it, so a seed fixes the result. Not for cryptography.
///
/// `init(seed:)` starts the state one golden-ratio step past the seed, so seed 0 does not begin
/// at the all-zero state; `init(state:)` takes the state as Vigna's reference `splitmix64.c` does
/// (its first `next()` equals that program's first output for `x = state`).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The golden-ratio increment added to the state on every draw.
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    private var state: UInt64

    /// A stream for `seed`; equal seeds give equal streams.
    public init(seed: UInt64) { state = seed &+ Self.increment }

    /// A stream from a raw state (the reference program's `x`).
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    /// - Complexity: O(1).
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform float in [0, 1) with 24 random bits.
    public mutating func unit() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform integer in 0..<n (n > 0), by modulo (bias below n / 2⁶⁴).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A standard normal sample (Box–Muller, one of the pair; two draws).
    public mutating func nextGaussian() -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * Foundation.log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }
}
