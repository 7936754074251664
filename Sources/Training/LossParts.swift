/// The parts of the training loss of one batch (reference/train.py `objective`).
public struct LossParts: Sendable, Equatable, Codable {
    /// Total: `recon + λ·contrastive`.
    public var loss: Double = 0
    /// Mean of the two decoders' masked MSE.
    public var recon: Double = 0
    /// Masked MSE of each decoder (0 where nothing of that modality was hidden).
    public var reconECG: Double = 0
    public var reconPPG: Double = 0
    /// Symmetric InfoNCE between ECG-only and PPG-only fingerprints (0 with fewer than 2 pairs).
    public var contrastive: Double = 0
    /// Fraction of pairs whose ECG-only fingerprint picks its own PPG-only one top-1 in the batch.
    public var retrievalTop1: Double = 0

    public init() {}

    /// True when every part is finite.
    public var isFinite: Bool { [loss, recon, reconECG, reconPPG, contrastive].allSatisfy(\.isFinite) }

    /// Element-wise weighted accumulation (for means over batches).
    public mutating func add(_ o: LossParts, weight: Double = 1) {
        loss += weight * o.loss; recon += weight * o.recon; reconECG += weight * o.reconECG
        reconPPG += weight * o.reconPPG; contrastive += weight * o.contrastive; retrievalTop1 += weight * o.retrievalTop1
    }
}
