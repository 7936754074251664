import Engine
import Model

/// One training step of M2AE on the CPU: training forward, objective, backward, clipping and
/// AdamW under the warm-up + cosine schedule. Owns every buffer it needs (workspace,
/// activation gradients, optimiser state), sized for batches of up to `maxSegments`.
public final class Trainer: @unchecked Sendable {
    public let model: M2AEModel
    public let hyperparameters: Hyperparameters
    public let maxSegments: Int
    public let optimizer: Optimizer
    let workspace: Workspace
    let gradients: ActivationGradients
    let objective: Objective

    /// The result of one step.
    public struct StepResult: Sendable {
        public var parts: LossParts
        public var gradNorm: Float
        public var lr: Double
    }

    /// A trainer for `model` (trained in place).
    public init(model: M2AEModel, hyperparameters: Hyperparameters, maxSegments: Int) {
        self.model = model; self.hyperparameters = hyperparameters; self.maxSegments = maxSegments
        optimizer = Optimizer(model: model)
        workspace = Workspace(config: model.config, maxSegments: maxSegments, purpose: .training)
        gradients = ActivationGradients(config: model.config, maxSegments: maxSegments)
        objective = Objective(config: model.config, hyperparameters: hyperparameters, maxSegments: maxSegments)
    }

    /// Bytes held: parameters + gradients + AdamW moments + decay mask (5 slabs), activations
    /// (the `.training` workspace), activation gradients.
    public var memoryBytes: (state: Int, activations: Int, activationGradients: Int) {
        (5 * model.params.count * 4, workspace.byteCount, gradients.byteCount)
    }

    /// Loss parts and gradients (into `optimizer.grads`, zeroed first) of one batch, without
    /// an update (what the gradient-parity tests read).
    /// - Parameters: ecg, ppg: (B, T·P) z-scored.  - visibility: (B, T) masks.
    public func lossAndGradients(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>,
                                 visibility: Visibility) throws -> LossParts {
        optimizer.zeroGrad()
        let pass = try model.forwardTraining(ecg: ecg, ppg: ppg, visibility: visibility, workspace: workspace)
        let parts = objective.evaluate(pass, workspace: workspace, ecg: ecg, ppg: ppg, gradients: gradients)
        model.backward(pass, workspace: workspace, gradients: gradients, into: optimizer.grads)
        return parts
    }

    /// Loss parts of one batch without gradients (validation).
    public func loss(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>, visibility: Visibility) throws -> LossParts {
        let pass = try model.forwardTraining(ecg: ecg, ppg: ppg, visibility: visibility, workspace: workspace)
        return objective.evaluate(pass, workspace: workspace, ecg: ecg, ppg: ppg, gradients: nil)
    }

    /// One optimiser step at schedule position `step` of `total`. When the loss is not finite
    /// the parameters are left untouched and the result says so (`parts.isFinite == false`).
    public func step(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>, visibility: Visibility,
                     step: Int, total: Int) throws -> StepResult {
        let parts = try lossAndGradients(ecg: ecg, ppg: ppg, visibility: visibility)
        let lr = hyperparameters.learningRate(step: step, total: total)
        guard parts.isFinite else { return StepResult(parts: parts, gradNorm: .nan, lr: lr) }
        let norm = optimizer.update(model, lr: Float(lr), hyperparameters: hyperparameters)
        return StepResult(parts: parts, gradNorm: norm, lr: lr)
    }
}
