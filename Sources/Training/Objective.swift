import Engine
import Model
import Signals

/// The M2AE training objective on one training forward pass (docs/model.md, "Training
/// objective"; reference/train.py `objective`): masked reconstruction on both decoders plus
/// λ · symmetric InfoNCE between the ECG-only and PPG-only fingerprints of the segments that
/// show both modalities. Optionally writes ∂loss/∂prediction and ∂loss/∂fingerprint into an
/// `ActivationGradients` for the model's backward pass.
///
/// Owns its index and probability buffers (sized for `maxSegments`), so nothing is allocated
/// per batch.
public final class Objective: @unchecked Sendable {
    public let hyperparameters: Hyperparameters
    public let config: M2AEConfig
    public let maxSegments: Int
    private let hidden: PerModality<UnsafeMutablePointer<Int32>>   // (B·T): rows b·T + t of hidden patches
    private let probs: UnsafeMutablePointer<Float>      // (2, G, G) InfoNCE softmaxes

    /// An objective for batches of up to `maxSegments` segments.
    public init(config: M2AEConfig, hyperparameters: Hyperparameters, maxSegments: Int) {
        self.config = config; self.hyperparameters = hyperparameters; self.maxSegments = maxSegments
        let BT = maxSegments * config.numPatches
        hidden = PerModality { _ in .allocate(capacity: BT) }
        probs = .allocate(capacity: 2 * maxSegments * maxSegments)
    }

    deinit { hidden.ecg.deallocate(); hidden.ppg.deallocate(); probs.deallocate() }

    /// The loss parts of the pass in `ws`; with `gradients`, also ∂loss/∂recon and
    /// ∂loss/∂fingerprint (overwritten, ready for `M2AEModel.backward`).
    /// - Parameters:
    ///   - pass: what `forwardTraining` returned.  - ws: its workspace.
    ///   - ecg, ppg: (B, T·P) the targets (the same z-scored inputs).
    public func evaluate(_ pass: TrainingPass, workspace ws: Workspace, ecg: UnsafePointer<Float>,
                         ppg: UnsafePointer<Float>, gradients: ActivationGradients?) -> LossParts {
        let B = pass.segments, T = config.numPatches, P = config.patchSize, f = config.fingerprintDim
        precondition(B <= maxSegments, "batch of \(B) exceeds the objective's \(maxSegments)")
        let h = hyperparameters
        var parts = LossParts()
        let targets = PerModality(ecg: ecg, ppg: ppg)
        if let g = gradients {
            for m in Modality.allCases { g.dRecon[m].update(repeating: 0, count: B * T * P) }
            g.dFingerprints.update(repeating: 0, count: (B + 2 * pass.pairs.count) * f)
        }
        // Reconstruction: MSE over every sample of every hidden patch, per decoder, then the mean.
        var recon = PerModality(ecg: 0.0, ppg: 0.0)
        for m in Modality.allCases {
            var K = 0
            let mask = pass.masks[m]
            for r in 0..<(B * T) where !mask[r] { hidden[m][K] = Int32(r); K += 1 }
            let pred = ws.reconstructionBuffer(m)
            recon[m] = Double(mseLossForward(pred: pred, target: targets[m], index: hidden[m], K: K, P: P))
            if let g = gradients {
                mseLossBackward(dpred: g.dRecon[m], pred: pred, target: targets[m], index: hidden[m], K: K, P: P, dloss: 0.5)
            }
        }
        parts.reconECG = recon.ecg; parts.reconPPG = recon.ppg
        parts.recon = (recon.ecg + recon.ppg) / 2
        // Contrastive: rows B..<B+G (ECG-only) against B+G..<B+2G (PPG-only).
        let G = pass.pairs.count
        if G >= 2 {
            let a = ws.fingerprintBuffer + pass.ecgOnlyRow(0) * f, b = ws.fingerprintBuffer + pass.ppgOnlyRow(0) * f
            parts.contrastive = Double(infoNCEForward(probs: probs, a: a, b: b, B: G, F: f, tau: h.tau))
            var hits = 0
            for i in 0..<G {
                let row = probs + i * G
                var best = 0
                for j in 1..<G where row[j] > row[best] { best = j }
                if best == i { hits += 1 }
            }
            parts.retrievalTop1 = Double(hits) / Double(G)
            if let g = gradients {
                infoNCEBackward(da: g.dFingerprints + pass.ecgOnlyRow(0) * f, db: g.dFingerprints + pass.ppgOnlyRow(0) * f,
                                probs: probs, a: a, b: b, B: G, F: f, tau: h.tau, dloss: h.lambda)
            }
        }
        parts.loss = parts.recon + Double(h.lambda) * parts.contrastive
        return parts
    }
}
