import Foundation
import Model
import Testing
import TestSupport
@testable import Training
import Support

/// The learning-rate schedule, the training masks and the loss curve.
@Suite struct ScheduleAndMaskTests {
    @Test func warmUpThenCosine() {
        var h = Hyperparameters()
        h.warmupSteps = 10; h.lr = 1e-3; h.lrMin = 1e-5
        #expect(abs(h.learningRate(step: 0, total: 100) - 1e-4) < 1e-12)
        #expect(abs(h.learningRate(step: 9, total: 100) - 1e-3) < 1e-12)
        #expect(abs(h.learningRate(step: 10, total: 100) - 1e-3) < 1e-12)
        #expect(abs(h.learningRate(step: 55, total: 100) - (1e-5 + 0.5 * (1e-3 - 1e-5))) < 1e-12)
        #expect(abs(h.learningRate(step: 100, total: 100) - 1e-5) < 1e-12)
        #expect(abs(h.learningRate(step: 500, total: 100) - 1e-5) < 1e-12)
        let lrs = (10..<100).map { h.learningRate(step: $0, total: 100) }
        #expect(zip(lrs, lrs.dropFirst()).allSatisfy { $0 >= $1 }, "cosine decays monotonically")
    }

    @Test func masksAreComplementaryOrDropOneModality() throws {
        var rng = SplitMix64(state: 1)
        let B = 4000, T = 50
        let v = TrainingMasks.draw(segments: B, patches: T, hyperparameters: Hyperparameters(), using: &rng)
        var dropped = 0, droppedECG = 0
        var sharedECG: ArraySlice<Bool>?
        for b in 0..<B {
            let e = v.ecg[(b * T)..<((b + 1) * T)], p = v.ppg[(b * T)..<((b + 1) * T)]
            let ne = e.filter { $0 }.count, np = p.filter { $0 }.count
            if ne == 0 || np == 0 {
                dropped += 1
                if ne == 0 { droppedECG += 1 }
                #expect(ne + np == T)
            } else {
                #expect(ne == 25 && np == 25 && zip(e, p).allSatisfy { $0 != $1 })
                // One hidden set per batch: a masked view's positions never identify its segment.
                if let first = sharedECG { #expect(Array(e) == Array(first)) } else { sharedECG = e }
            }
        }
        var noDrop = Hyperparameters()
        noDrop.pDrop = 0
        let next = TrainingMasks.draw(segments: 8, patches: T, hyperparameters: noDrop, using: &rng)
        #expect(Array(next.ecg[0..<T]) != Array(try #require(sharedECG)), "the next batch draws another set")
        // p_drop 0.3, ECG/PPG 50/50: binomial bounds at about 5 standard deviations.
        #expect(abs(Double(dropped) / Double(B) - 0.3) < 0.04)
        #expect(abs(Double(droppedECG) / Double(dropped) - 0.5) < 0.08)
        var again = SplitMix64(state: 1)
        #expect(TrainingMasks.draw(segments: B, patches: T, hyperparameters: Hyperparameters(), using: &again) == v)
    }

    @Test func curveRoundTripsThroughCSVAndPlots() throws {
        var curve = LossCurve()
        for s in 1...40 {
            var p = LossParts(); p.loss = 3 - Double(s) * 0.05; p.recon = 1; p.contrastive = 2
            curve.append(.init(kind: "train", epoch: 1 + (s - 1) / 20, step: s, parts: p, lr: 1e-3, gradNorm: 0.5))
            if s % 20 == 0 { var v = p; v.loss += 0.1; curve.append(.init(kind: "val", epoch: s / 20, step: s, parts: v, lr: nil, gradNorm: nil)) }
        }
        let dir = try TestSupport.temporaryFolder("m2ae-curve")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("c.csv")
        try curve.write(to: url)
        let back = LossCurve(csv: url, upTo: 25)
        #expect(back.rows.count == 26 && back.rows.filter { $0.kind == "val" }.count == 1)
        #expect(back.rows.last!.step == 25 && abs(back.rows.last!.parts.loss - 1.75) < 1e-9 && back.rows[20].lr == nil)
        let plot = curve.plot(width: 40, height: 8)
        let lines = plot.split(separator: "\n")
        print(plot)
        #expect(lines.count == 8 + 3)
        #expect(lines[0].hasPrefix("  2.9500") && plot.contains("◆") && plot.contains("step 40"))
    }
}
