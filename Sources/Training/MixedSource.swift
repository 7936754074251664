import Foundation
import Support

/// Several sources trained on together with mixing weights: a component with weight `w`
/// contributes about `w` of every epoch's segments, whatever its size, so a small store of a
/// user's own recordings can weigh as much as a large generated cohort.
///
/// Subjects of component `i` are numbered after those of components `0..<i`. Blocks are the
/// components' blocks, interleaved in proportion to their counts so any prefix of blocks
/// holds every component. A component drawn more often than its size (repetition factor
/// `r = w · N / n` above 1, N the usable segments of all components, n its own) returns each
/// segment ⌊r⌋ or ⌈r⌉ times in a training block; one drawn less often keeps each segment
/// with probability `r`. Both choices are deterministic hashes of the segment's place, so the
/// same block yields the same segments every epoch (the epoch reader shuffles them).
/// Validation blocks (`validationBlock`) return every segment once, unweighted.
///
/// Complexity: `block` is O(segments of the component block), plus one hash per segment.
public struct MixedSource: SegmentSource {
    public let components: [SegmentSource]
    /// The normalised weights (summing to 1).
    public let weights: [Double]
    /// Repetition factor per component (expected segments drawn per usable segment).
    public let factors: [Double]
    private let subjectOffsets: [Int]
    /// Global block k → (component, component block).
    private let blocks: [(component: Int, block: Int)]
    private let usable: [Int]

    public var label: String {
        "mix " + zip(components, weights).map { "\($0.label) \(String(format: "%.2f", $1))" }.joined(separator: " + ")
    }
    public var subjectCount: Int { subjectOffsets.last! }
    public var blockCount: Int { blocks.count }

    /// Mixes `components` with `weights` (one per component, positive; normalised here).
    /// - Throws: `TrainingDataError` for a count mismatch, a weight ≤ 0 or not finite, or a
    ///   component without usable segments; the components' own errors while counting.
    /// - Complexity: one pass over every component's quality flags (counting usable segments).
    public init(_ components: [SegmentSource], weights: [Double]) throws {
        guard !components.isEmpty, components.count == weights.count else {
            throw TrainingDataError("--mix gives \(weights.count) weight(s) for \(components.count) source(s)")
        }
        guard weights.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw TrainingDataError("--mix weights must be positive numbers, got \(weights.map { String($0) }.joined(separator: ","))")
        }
        let total = weights.reduce(0, +)
        self.components = components
        self.weights = weights.map { $0 / total }
        var offsets = [0], perSubject: [[Int]] = [], sizes: [Int] = []
        for c in components {
            let u = try c.usableSegmentsPerSubject()
            let n = Int((Double(u.reduce(0, +)) * c.expectedUsableShare).rounded())
            guard n > 0 else { throw TrainingDataError("\(c.label): no usable segments to mix") }
            perSubject.append(u); sizes.append(n)
            offsets.append(offsets.last! + c.subjectCount)
        }
        subjectOffsets = offsets
        let all = Double(sizes.reduce(0, +))
        let r = zip(weights, sizes).map {
            let r = $0 / total * all / Double($1)
            return abs(r - r.rounded()) < 1e-9 ? r.rounded() : r
        }
        factors = r
        usable = zip(perSubject, components).enumerated().flatMap { i, p in
            p.0.map { Int((Double($0) * p.1.expectedUsableShare * r[i]).rounded()) }
        }
        // Interleave: the next block comes from the component furthest behind its share.
        let counts = components.map(\.blockCount), totalBlocks = counts.reduce(0, +)
        var taken = [Int](repeating: 0, count: counts.count), order: [(Int, Int)] = []
        order.reserveCapacity(totalBlocks)
        for _ in 0..<totalBlocks {
            let i = counts.indices.filter { taken[$0] < counts[$0] }.min {
                Double(taken[$0]) / Double(counts[$0]) < Double(taken[$1]) / Double(counts[$1])
            }!
            order.append((i, taken[i])); taken[i] += 1
        }
        blocks = order.map { (component: $0.0, block: $0.1) }
    }

    public func usableSegmentsPerSubject() throws -> [Int] { usable }

    public func block(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment] {
        let (i, b) = blocks[k], offset = subjectOffsets[i], r = factors[i]
        let segments = try components[i].block(b) { keep($0 + offset) }
        var out: [PreparedSegment] = []
        out.reserveCapacity(Int((Double(segments.count) * r).rounded(.up)))
        for (j, var s) in segments.enumerated() {
            s.subject += offset
            let u = Self.unit(k, j)
            let copies = Int(r.rounded(.down)) + (u < r - r.rounded(.down) ? 1 : 0)
            for _ in 0..<copies { out.append(s) }
        }
        return out
    }

    public func validationBlock(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment] {
        let (i, b) = blocks[k], offset = subjectOffsets[i]
        return try components[i].validationBlock(b) { keep($0 + offset) }.map { var s = $0; s.subject += offset; return s }
    }

    /// A uniform number in [0, 1) fixed by block `k` and position `j`: the first draw of the
    /// SplitMix64 stream whose first mixed state is k·φ + j + c.
    static func unit(_ k: Int, _ j: Int) -> Double {
        let z = UInt64(truncatingIfNeeded: k) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: j) &+ 0x632B_E59B_D9B4_E019
        var g = SplitMix64(state: z &- SplitMix64.increment)
        return g.uniform()
    }
}
