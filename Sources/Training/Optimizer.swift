import Engine
import Model

/// AdamW state over a model's flat parameters (llm.c's `gpt2_update`): the gradient slab and
/// the two moment slabs share the parameter layout, so one step is one loop over all floats.
/// Weight decay applies to matrices only (`ParameterLayout.Entry.isMatrix`).
public final class Optimizer: @unchecked Sendable {
    /// Gradients, first and second moments, and the decay mask (1 on matrices), each laid out
    /// like `model.params`.
    public let grads: Arena
    public let m: Arena
    public let v: Arena
    let decayMask: Arena
    /// Steps taken so far (the next step's bias correction uses `step + 1`).
    public internal(set) var step = 0

    /// Zeroed state for `model`.
    public init(model: M2AEModel) {
        let layout = model.layout.arenaLayout
        grads = Arena(layout: layout); m = Arena(layout: layout); v = Arena(layout: layout)
        decayMask = Arena(layout: layout)
        for e in model.layout.entries where e.isMatrix {
            (decayMask.base + e.offset).update(repeating: 1, count: e.count)
        }
    }

    /// Clears the gradient slab (one memset).
    public func zeroGrad() { grads.zero() }

    /// Clips the gradients to a global norm of `clip`, then one AdamW update at `lr`. A
    /// non-finite gradient norm leaves parameters and moments untouched.
    /// - Returns: the gradient norm before clipping.
    @discardableResult
    public func update(_ model: M2AEModel, lr: Float, hyperparameters h: Hyperparameters) -> Float {
        let count = grads.count
        guard gradientGlobalNorm(grads: grads.base, count: count).isFinite else { return .nan }
        let norm = clipGradients(grads: grads.base, count: count, maxNorm: h.clip)
        step += 1
        adamWUpdate(params: model.params.base, grads: grads.base, m: m.base, v: v.base, decayMask: decayMask.base,
                    count: count, learningRate: lr, step: step, config: h.adamW)
        model.parametersDidChange()
        return norm
    }
}
