import Engine
import Foundation

/// The training objective's and optimiser's settings (docs/model.md, "Training objective";
/// reference/train.py `DEFAULTS` holds the same values under snake_case names).
public struct Hyperparameters: Sendable, Equatable, Codable {
    /// Fraction r of the T positions hidden in the ECG (the PPG is hidden at the rest).
    public var maskRatio: Double = 0.5
    /// Probability that one whole modality (chosen 50/50) is dropped from a segment.
    public var pDrop: Double = 0.3
    /// InfoNCE temperature τ.
    public var tau: Float = 0.1
    /// Weight λ of the contrastive loss.
    public var lambda: Float = 0.5
    /// Peak and final learning rate of the cosine schedule.
    public var lr: Double = 1e-3
    public var lrMin: Double = 1e-5
    /// Linear warm-up steps.
    public var warmupSteps: Int = 200
    /// AdamW settings (weight decay applies to matrices only).
    public var weightDecay: Float = 0.05
    public var beta1: Float = 0.9
    public var beta2: Float = 0.95
    public var eps: Float = 1e-8
    /// Global gradient-norm clip.
    public var clip: Float = 1.0

    /// The defaults above.
    public init() {}

    /// The learning rate of step `step` (0-based) of a `total`-step run: linear warm-up to
    /// `lr` over `warmupSteps`, then cosine from `lr` to `lrMin` at step `total`.
    public func learningRate(step: Int, total: Int) -> Double {
        if step < warmupSteps { return lr * Double(step + 1) / Double(warmupSteps) }
        let span = Double(max(1, total - warmupSteps))
        let progress = min(1, Double(step - warmupSteps) / span)
        return lrMin + 0.5 * (lr - lrMin) * (1 + cos(Double.pi * progress))
    }

    /// The engine's AdamW settings.
    public var adamW: AdamWConfig { AdamWConfig(beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay) }

    /// The values as the reference trainer's fixture keys (snake_case → value).
    public var referenceValues: [String: Double] {
        ["mask_ratio": maskRatio, "p_drop": pDrop, "tau": Double(tau), "lam": Double(lambda), "lr": lr,
         "lr_min": lrMin, "warmup_steps": Double(warmupSteps), "weight_decay": Double(weightDecay),
         "beta1": Double(beta1), "beta2": Double(beta2), "eps": Double(eps), "clip": Double(clip)]
    }
}
