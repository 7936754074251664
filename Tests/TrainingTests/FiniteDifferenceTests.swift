import Foundation
import Model
import Testing
@testable import Training
import Support

/// The analytic gradient of the whole training loss against central finite differences on
/// the tiny config (no Python needed): along the gradient, along random directions, and on
/// the largest coordinates of several tensors.
@Suite struct FiniteDifferenceTests {
    /// A tiny model with weights large enough that every term matters, a batch of sines with
    /// complementary masks, dropped modalities and fully visible segments.
    static func fixture() throws -> (Trainer, [Float], [Float], Visibility) {
        let config = M2AEConfig.tiny
        let model = try M2AEModel.random(config: config, seed: 11)
        var rng = SplitMix64(state: 5)
        for e in model.layout.entries {
            let p = model.params.base + e.offset
            for i in 0..<e.count { p[i] += 0.1 * rng.nextGaussian() }
        }
        let B = 8, S = config.segmentSamples, T = config.numPatches
        let ecg = SyntheticBatch.sines(B, S, &rng), ppg = SyntheticBatch.sines(B, S, &rng)
        var h = Hyperparameters()
        h.pDrop = 0.25
        var vis = TrainingMasks.draw(segments: B, patches: T, hyperparameters: h, using: &rng)
        for t in 0..<T { vis.ecg[t] = true; vis.ppg[t] = true }           // segment 0: both fully visible
        for t in 0..<T { vis.ecg[T + t] = true; vis.ppg[T + t] = false }  // segment 1: ECG only
        let trainer = Trainer(model: model, hyperparameters: Hyperparameters(), maxSegments: B)
        return (trainer, ecg, ppg, vis)
    }

    @Test func directionalDerivativesMatch() throws {
        let (trainer, ecg, ppg, vis) = try Self.fixture()
        let model = trainer.model, n = model.params.count
        _ = try trainer.lossAndGradients(ecg: ecg, ppg: ppg, visibility: vis)
        let grad = Array(UnsafeBufferPointer(start: trainer.optimizer.grads.base, count: n))
        let theta = Array(UnsafeBufferPointer(start: model.params.base, count: n))
        func loss(along v: [Float], _ eps: Float) throws -> Double {
            for i in 0..<n { model.params.base[i] = theta[i] + eps * v[i] }
            defer { for i in 0..<n { model.params.base[i] = theta[i] } }
            return try trainer.loss(ecg: ecg, ppg: ppg, visibility: vis).loss
        }
        var rng = SplitMix64(state: 9)
        let gnorm = grad.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        var directions = [grad.map { Float(Double($0) / gnorm) }]
        for _ in 0..<3 {
            // Random directions restricted to real parameters (padding stays zero).
            var v = [Float](repeating: 0, count: n)
            for e in model.layout.entries { for i in 0..<e.count { v[e.offset + i] = rng.nextGaussian() } }
            let norm = v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            directions.append(v.map { Float(Double($0) / norm) })
        }
        for (k, v) in directions.enumerated() {
            let eps: Float = 1e-2
            let numeric = (try loss(along: v, eps) - loss(along: v, -eps)) / Double(2 * eps)
            let analytic = zip(grad, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rel = abs(numeric - analytic) / max(abs(analytic), 1e-3)
            print("direction \(k): analytic \(analytic) numeric \(numeric) relative error \(rel)")
            #expect(rel < 2e-2, "direction \(k): analytic \(analytic) vs numeric \(numeric)")
        }
    }

    @Test func largestCoordinatesMatch() throws {
        let (trainer, ecg, ppg, vis) = try Self.fixture()
        let model = trainer.model
        _ = try trainer.lossAndGradients(ecg: ecg, ppg: ppg, visibility: vis)
        let names = ["ecg.patch_embed.weight", "ppg.pos_embed", "ecg.modality_embed", "bottleneck.blocks.0.attn.qkv.weight",
                     "bottleneck.proj.bias", "ecg_decoder.mask_token", "ppg_decoder.embed.weight", "ppg_decoder.head.bias"]
        var checked = 0
        for name in names {
            let e = try #require(model.layout.entry(named: name))
            let g = UnsafeBufferPointer(start: trainer.optimizer.grads.base + e.offset, count: e.count)
            let i = g.indices.max { abs(g[$0]) < abs(g[$1]) }!
            let analytic = Double(g[i])
            let p = model.params.base + e.offset + i, saved = p.pointee
            let eps: Float = 1e-2
            p.pointee = saved + eps
            let up = try trainer.loss(ecg: ecg, ppg: ppg, visibility: vis).loss
            p.pointee = saved - eps
            let down = try trainer.loss(ecg: ecg, ppg: ppg, visibility: vis).loss
            p.pointee = saved
            let numeric = (up - down) / Double(2 * eps)
            let rel = abs(numeric - analytic) / max(abs(analytic), 1e-3)
            print("\(name)[\(i)]: analytic \(analytic) numeric \(numeric) relative error \(rel)")
            #expect(rel < 3e-2, "\(name)[\(i)]: analytic \(analytic) vs numeric \(numeric)")
            checked += 1
        }
        #expect(checked == names.count)
    }
}
