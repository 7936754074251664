import Model
import Store
import Support

/// Validation metrics of one epoch.
public struct ValidationResult: Sendable, Codable, Equatable {
    /// Mean loss parts over the validation batches (masks drawn from a fixed seed, so epochs
    /// are comparable).
    public var parts: LossParts
    /// Cross-modal retrieval: the fraction of validation segments whose ECG-only fingerprint
    /// (all ECG visible) finds its own segment's PPG-only fingerprint top-1 among all
    /// `segments` PPG-only fingerprints (cosine similarity). Chance is 1/segments.
    public var retrievalTop1: Double
    public var segments: Int
}

/// Computes `ValidationResult`s for a trainer's model on a fixed validation set.
public final class Validator {
    let set: ValidationSet
    let batchSize: Int
    let seed: UInt64
    private let workspace: Workspace

    public init(set: ValidationSet, config: M2AEConfig, batchSize: Int, seed: UInt64) {
        self.set = set; self.batchSize = batchSize; self.seed = seed
        workspace = Workspace(config: config, maxSegments: batchSize)
    }

    /// Loss and retrieval of `trainer.model` on the validation set.
    public func run(_ trainer: Trainer) throws -> ValidationResult {
        let model = trainer.model, c = model.config, n = set.segments.count, f = c.fingerprintDim
        var parts = LossParts()
        var rng = SplitMix64(state: seed ^ 0x7A11_DA7E)
        var ecgFP = [Float](repeating: 0, count: n * f), ppgFP = ecgFP
        var lo = 0
        while lo < n {
            let hi = min(lo + batchSize, n)
            let batch = set.batch(lo..<hi)
            let vis = TrainingMasks.draw(segments: batch.count, patches: c.numPatches,
                                         hyperparameters: trainer.hyperparameters, using: &rng)
            parts.add(try trainer.loss(ecg: batch.ecg, ppg: batch.ppg, visibility: vis), weight: Double(batch.count) / Double(n))
            try model.fingerprintsAllModes(ecg: batch.ecg, ppg: batch.ppg,
                                           present: Array(repeating: (ecg: true, ppg: true), count: batch.count),
                                           workspace: workspace)
            let rows = workspace.fingerprintRows(3 * batch.count)
            for b in 0..<batch.count {
                for k in 0..<f {
                    ecgFP[(lo + b) * f + k] = rows[(3 * b + 1) * f + k]
                    ppgFP[(lo + b) * f + k] = rows[(3 * b + 2) * f + k]
                }
            }
            lo = hi
        }
        return ValidationResult(parts: parts, retrievalTop1: Self.top1(ecgFP, ppgFP, n: n, f: f), segments: n)
    }

    /// Fraction of rows i of `a` whose most similar row of `b` (dot product) is row i.
    static func top1(_ a: [Float], _ b: [Float], n: Int, f: Int) -> Double {
        guard n > 0 else { return 0 }
        var hits = 0
        a.withUnsafeBufferPointer { A in
            b.withUnsafeBufferPointer { Bp in
                for i in 0..<n {
                    var best = -Float.infinity, arg = -1
                    for j in 0..<n {
                        var s: Float = 0
                        for k in 0..<f { s += A[i * f + k] * Bp[j * f + k] }
                        if s > best { best = s; arg = j }
                    }
                    if arg == i { hits += 1 }
                }
            }
        }
        return Double(hits) / Double(n)
    }
}
