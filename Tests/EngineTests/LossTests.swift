import Testing
@testable import Engine

@Test func mseLossMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let P = fx.shape("mse/pred")[1], N = fx.shape("mse/pred")[0]
    let pred = FloatBuffer(fx.floats("mse/pred")), target = FloatBuffer(fx.floats("mse/target"))
    let index = IndexBuffer(fx.ints("mse/index"))
    let loss = mseLossForward(pred: pred.p, target: target.p, index: index.p, K: index.count, P: P)
    checkTensor([loss], fx.floats("mse/loss"), tol: 1e-6, relative: true, "mse loss")
    let g0 = randomFloats(N * P, seed: 101), dpred = FloatBuffer(g0)
    let dloss = fx.floats("mse/dout")[0]
    mseLossBackward(dpred: dpred.ptr, pred: pred.p, target: target.p, index: index.p, K: index.count, P: P, dloss: dloss)
    checkTensor(dpred.values, plus(fx.floats("mse/dpred"), g0), tol: 1e-3, relative: true, "mse dpred (unselected rows get nothing)")
}

@Test func mseLossOverNoPatchesIsZero() {
    let x = FloatBuffer([1, 2]), index = IndexBuffer([])
    #expect(mseLossForward(pred: x.p, target: x.p, index: index.p, K: 0, P: 2) == 0)
    let d = FloatBuffer([5, 5])
    mseLossBackward(dpred: d.ptr, pred: x.p, target: x.p, index: index.p, K: 0, P: 2, dloss: 1)
    #expect(d.values == [5, 5])
}

@Test func infoNCEMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let B = fx.shape("infonce/a")[0], F = fx.shape("infonce/a")[1]
    let tau = fx.floats("infonce/tau")[0]
    let a = FloatBuffer(fx.floats("infonce/a")), b = FloatBuffer(fx.floats("infonce/b"))
    let probs = FloatBuffer(zeros: 2 * B * B)
    let loss = infoNCEForward(probs: probs.ptr, a: a.p, b: b.p, B: B, F: F, tau: tau)
    checkTensor([loss], fx.floats("infonce/loss"), tol: 1e-5, relative: true, "infonce loss")
    checkTensor(probs.values, fx.floats("infonce/probs"), tol: 1e-5, "infonce probs")
    var rng = TestRandom(seed: 102)
    let g0 = (rng.floats(B * F), rng.floats(B * F))
    let da = FloatBuffer(g0.0), db = FloatBuffer(g0.1)
    infoNCEBackward(da: da.ptr, db: db.ptr, probs: probs.p, a: a.p, b: b.p, B: B, F: F, tau: tau,
                    dloss: fx.floats("infonce/dout")[0])
    checkTensor(da.values, plus(fx.floats("infonce/da"), g0.0), tol: 1e-3, relative: true, "infonce da")
    checkTensor(db.values, plus(fx.floats("infonce/db"), g0.1), tol: 1e-3, relative: true, "infonce db")
}

@Test func infoNCEGradientsMatchFiniteDifferences() {
    var rng = TestRandom(seed: 103)
    let B = 4, F = 3, tau: Float = 0.5
    let inputs = [rng.floats(B * F), rng.floats(B * F)]
    func loss(_ x: [[Float]]) -> [Float] {
        let a = FloatBuffer(x[0]), b = FloatBuffer(x[1]), p = FloatBuffer(zeros: 2 * B * B)
        return [infoNCEForward(probs: p.ptr, a: a.p, b: b.p, B: B, F: F, tau: tau)]
    }
    let a = FloatBuffer(inputs[0]), b = FloatBuffer(inputs[1]), p = FloatBuffer(zeros: 2 * B * B)
    _ = infoNCEForward(probs: p.ptr, a: a.p, b: b.p, B: B, F: F, tau: tau)
    let da = FloatBuffer(zeros: B * F), db = FloatBuffer(zeros: B * F)
    infoNCEBackward(da: da.ptr, db: db.ptr, probs: p.p, a: a.p, b: b.p, B: B, F: F, tau: tau, dloss: 1)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: [1], analytic: [da.values, db.values], h: 1e-3, forward: loss)
    #expect(errors.allSatisfy { $0 < 1e-2 }, "finite-difference errors \(errors)")
}

@Test func infoNCEStaysFiniteWhenProbabilitiesUnderflow() {
    // τ tiny: off-diagonal softmax entries underflow to 0, the loss must stay finite
    let a = FloatBuffer([1, 0, 0, 1]), b = FloatBuffer([0, 1, 1, 0]), p = FloatBuffer(zeros: 8)
    let loss = infoNCEForward(probs: p.ptr, a: a.p, b: b.p, B: 2, F: 2, tau: 1e-3)
    #expect(loss.isFinite)
    #expect(abs(loss - 1000) < 1e-2)   // every row picks the wrong pair by a logit gap of 1/τ
}
