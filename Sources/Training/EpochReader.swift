import Model

/// A batch of prepared segments: (B, T·P) ECG and PPG rows.
public struct SegmentBatch: Sendable {
    public var count: Int
    public var ecg: [Float]
    public var ppg: [Float]
}

/// The training batches of one epoch, streamed: blocks in a seeded random order feed a
/// shuffle pool of about `poolBlocks` blocks; full batches are drawn from the pool at random.
/// Memory is bounded by the pool. Exactly `batches` batches are produced (the remainder of the
/// epoch is dropped, as the reference trainer does). With an `Augmentation`, every segment is
/// augmented as it enters a batch, from a generator of its own seeded by (seed, epoch), so the
/// shuffle is the same with or without it and a resumed epoch replays the same augmentations.
public final class EpochReader {
    let source: SegmentSource
    let split: SubjectSplit
    let batchSize: Int
    public let batches: Int
    private var order: [Int]
    private var pool: [PreparedSegment] = []
    private var rng: SeededGenerator
    private let poolTarget: Int
    private let augmentation: Augmentation?
    private var augmentationRNG: SeededGenerator
    public private(set) var produced = 0

    /// - Parameters:
    ///   - batches: batches to produce (steps per epoch).  - seed, epoch: the shuffle's seed.
    ///   - augmentation: applied to every training segment (nil: none).
    public init(source: SegmentSource, split: SubjectSplit, batchSize: Int, batches: Int, seed: UInt64, epoch: Int,
                poolSegments: Int = 1024, augmentation: Augmentation? = nil) {
        self.source = source; self.split = split; self.batchSize = batchSize; self.batches = batches
        self.augmentation = augmentation
        augmentationRNG = SeededGenerator(seed: (seed ^ 0xA076_1D64_78BD_642F) &* 0x9E37_79B9 &+ UInt64(epoch) &+ 1)
        rng = SeededGenerator(seed: seed &* 0x9E37_79B9 &+ UInt64(epoch) &+ 1)
        order = Array(0..<source.blockCount).shuffled(using: &rng)
        poolTarget = max(poolSegments, 2 * batchSize)
    }

    /// The next batch, or nil when the epoch is done (or the data ran out early).
    public func next() throws -> SegmentBatch? {
        guard produced < batches else { return nil }
        while pool.count < poolTarget, let k = order.popLast() {
            pool += try source.block(k) { !split.isValidation[$0] }
        }
        guard pool.count >= batchSize else { return nil }
        var ecg: [Float] = [], ppg: [Float] = []
        ecg.reserveCapacity(batchSize * (pool.first?.ecg.count ?? 0)); ppg.reserveCapacity(ecg.capacity)
        for _ in 0..<batchSize {
            let i = Int.random(in: 0..<pool.count, using: &rng)
            pool.swapAt(i, pool.count - 1)
            let s = pool.removeLast()
            if let augmentation {
                let a = augmentation.apply(ecg: s.ecg, ppg: s.ppg, using: &augmentationRNG)
                ecg += a.ecg; ppg += a.ppg
            } else {
                ecg += s.ecg; ppg += s.ppg
            }
        }
        produced += 1
        return SegmentBatch(count: batchSize, ecg: ecg, ppg: ppg)
    }
}
