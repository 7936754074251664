import Foundation
import Model
import Testing
import TestSupport
@testable import Training

/// Swift gradients of the whole training loss against PyTorch autograd
/// (reference/train_oracle.py) on the same weights, inputs and masks.
@Suite struct GradientParityTests {
    static let tolerance: Float = 1e-3

    @Test(arguments: ["tiny", "small"])
    func wholeLossGradientsMatchAutograd(config: String) throws {
        guard pythonAvailable(["torch", "safetensors"], "gradient parity (\(config))") else { return }
        let dir = try TestSupport.temporaryFolder("m2ae-grad")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Python.script("reference/train_oracle.py", ["--config", config, "--seed", "3", "--batch", "12", "--out", dir.path])
        let model = try M2AEModel(checkpoint: dir.appendingPathComponent("model.safetensors"))
        let c = try SafetensorsFile(url: dir.appendingPathComponent("case.safetensors"))
        let B = c.tensors["ecg"]!.shape[0], T = model.config.numPatches
        let vis = Visibility(segments: B, patches: T, ecg: try c.floats("ecg_vis").map { $0 > 0.5 },
                             ppg: try c.floats("ppg_vis").map { $0 > 0.5 })
        let trainer = Trainer(model: model, hyperparameters: Hyperparameters(), maxSegments: B)
        let ecg = try c.floats("ecg"), ppg = try c.floats("ppg")
        let parts = try trainer.lossAndGradients(ecg: ecg, ppg: ppg, visibility: vis)

        let expected: [(String, Double)] = [("loss", parts.loss), ("recon", parts.recon), ("recon_ecg", parts.reconECG),
                                            ("recon_ppg", parts.reconPPG), ("contrastive", parts.contrastive),
                                            ("retrieval_top1", parts.retrievalTop1)]
        for (name, mine) in expected {
            checkRelative([Float(mine)], try c.floats(name), tol: 1e-4, "\(config) \(name)")
        }
        var checked = 0
        for e in model.layout.entries {
            let mine = Array(UnsafeBufferPointer(start: trainer.optimizer.grads.base + e.offset, count: e.count))
            checkRelative(mine, try c.floats("grad." + e.name), tol: Self.tolerance, "\(config) grad \(e.name)")
            checked += 1
        }
        #expect(checked == model.layout.entries.count && checked > 20)
    }
}
