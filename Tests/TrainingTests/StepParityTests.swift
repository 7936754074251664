import Foundation
import Model
import Testing
import TestSupport
@testable import Training
import Support

/// The Swift trainer and the PyTorch reference trainer (reference/train.py `steps`) take the
/// same optimiser steps from the same initial weights, batches and masks: the loss parts,
/// gradient norms and learning rates of every step agree.
@Suite struct StepParityTests {
    @Test func anOptimiserStepRenewsTheModelID() throws {
        let model = try M2AEModel.random(config: .tiny, seed: 11)
        let before = model.id
        let optimizer = Optimizer(model: model)
        optimizer.grads.base.update(repeating: 0.01, count: optimizer.grads.count)
        optimizer.update(model, lr: 1e-3, hyperparameters: Hyperparameters())
        #expect(model.id != before)
        let path = try TestSupport.temporaryFolder("m2ae-id").appendingPathComponent("m.safetensors")
        defer { try? FileManager.default.removeItem(at: path.deletingLastPathComponent()) }
        try model.save(to: path)
        #expect(try M2AEModel(checkpoint: path).id == model.id)
    }

    @Test func fewStepsMatchPyTorch() throws {
        guard pythonAvailable(["torch", "safetensors"], "step parity") else { return }
        let dir = try TestSupport.temporaryFolder("m2ae-steps")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = M2AEConfig.tiny, steps = 6, B = 16, S = config.segmentSamples, T = config.numPatches
        let model = try M2AEModel.random(config: config, seed: 21)
        try model.save(to: dir.appendingPathComponent("init.safetensors"))
        var h = Hyperparameters()
        h.warmupSteps = 2; h.lr = 3e-3
        var rng = SplitMix64(state: 4)
        var ecg: [Float] = [], ppg: [Float] = [], ev: [Float] = [], pv: [Float] = []
        let trainer = Trainer(model: model, hyperparameters: h, maxSegments: B)
        var mine: [Trainer.StepResult] = []
        for s in 0..<steps {
            let e = SyntheticBatch.sines(B, S, &rng), p = SyntheticBatch.sines(B, S, &rng)
            let vis = TrainingMasks.draw(segments: B, patches: T, hyperparameters: h, using: &rng)
            mine.append(try trainer.step(ecg: e, ppg: p, visibility: vis, step: s, total: steps))
            ecg += e; ppg += p; ev += vis.ecg.map { $0 ? 1 : 0 }; pv += vis.ppg.map { $0 ? 1 : 0 }
        }
        let fixture = dir.appendingPathComponent("batches.safetensors")
        let hyper = String(decoding: try JSONSerialization.data(withJSONObject: h.referenceValues, options: [.sortedKeys]), as: UTF8.self)
        try withBuffers([ecg, ppg, ev, pv]) { b in
            try SafetensorsFile.write(to: fixture, tensors: [
                .init(name: "ecg", shape: [steps, B, S], values: b[0]), .init(name: "ppg", shape: [steps, B, S], values: b[1]),
                .init(name: "ecg_vis", shape: [steps, B, T], values: b[2]), .init(name: "ppg_vis", shape: [steps, B, T], values: b[3]),
            ], metadata: ["hyperparameters": hyper, "total_steps": "\(steps)"])
        }
        let out = try Python.script("reference/train.py", ["steps", "--init", dir.appendingPathComponent("init.safetensors").path,
                                                           "--batches", fixture.path])
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Double]])
        try #require(theirs.count == steps)
        for s in 0..<steps {
            let m = mine[s], t = theirs[s]
            let pairs: [(String, Double, Double)] = [
                ("loss", m.parts.loss, t["loss"]!), ("recon", m.parts.recon, t["recon"]!),
                ("contrastive", m.parts.contrastive, t["contrastive"]!), ("grad_norm", Double(m.gradNorm), t["grad_norm"]!),
                ("lr", m.lr, t["lr"]!),
            ]
            for (name, a, b) in pairs {
                let rel = abs(a - b) / max(abs(b), 1e-6)
                print("step \(s) \(name): swift \(a) torch \(b) relative \(rel)")
                #expect(rel < 1e-3, "step \(s) \(name): swift \(a) vs torch \(b)")
            }
        }
        #expect(mine.last!.parts.loss < mine.first!.parts.loss, "the loss should fall over the steps")
    }

    private func withBuffers(_ arrays: [[Float]], _ body: ([UnsafeBufferPointer<Float>]) throws -> Void) throws {
        var buffers: [UnsafeBufferPointer<Float>] = []
        var copies: [UnsafeMutableBufferPointer<Float>] = []
        defer { copies.forEach { $0.deallocate() } }
        for a in arrays {
            let c = UnsafeMutableBufferPointer<Float>.allocate(capacity: a.count)
            _ = c.initialize(from: a)
            copies.append(c); buffers.append(UnsafeBufferPointer(c))
        }
        try body(buffers)
    }
}
