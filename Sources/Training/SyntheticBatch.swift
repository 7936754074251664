import Foundation
import Model
import Support

/// Cheap z-scored test signals (sums of random sines plus noise), for tests and benchmarks
/// that need inputs but no physiology.
public enum SyntheticBatch {
    /// (B, S) rows, each z-scored.
    public static func sines(_ B: Int, _ S: Int, _ rng: inout SplitMix64) -> [Float] {
        var x = [Float](repeating: 0, count: B * S)
        for b in 0..<B {
            for _ in 0..<3 {
                let f = Float.random(in: 0.5..<8.5, using: &rng), ph = Float.random(in: 0..<6.28, using: &rng)
                let a = Float.random(in: 0..<1, using: &rng)
                for i in 0..<S { x[b * S + i] += a * sin(6.2832 * f * Float(i) / 125 + ph) }
            }
            for i in 0..<S { x[b * S + i] += 0.3 * rng.nextGaussian() }
            var mean: Float = 0, sq: Float = 0
            for i in 0..<S { mean += x[b * S + i] }
            mean /= Float(S)
            for i in 0..<S { sq += (x[b * S + i] - mean) * (x[b * S + i] - mean) }
            let sd = max((sq / Float(S)).squareRoot(), 1e-8)
            for i in 0..<S { x[b * S + i] = (x[b * S + i] - mean) / sd }
        }
        return x
    }
}
