import Testing
@testable import Engine

@Test func residualMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let a = FloatBuffer(fx.floats("residual/inp1")), b = FloatBuffer(fx.floats("residual/inp2"))
    let n = a.count
    let out = FloatBuffer(zeros: n)
    residualForward(out: out.ptr, inp1: a.p, inp2: b.p, count: n)
    checkTensor(out.values, fx.floats("residual/out"), tol: 1e-6, "residual out")
    var rng = TestRandom(seed: 41)
    let g1 = rng.floats(n), g2 = rng.floats(n)
    let d1 = FloatBuffer(g1), d2 = FloatBuffer(g2), dout = FloatBuffer(fx.floats("residual/dout"))
    residualBackward(dinp1: d1.ptr, dinp2: d2.ptr, dout: dout.p, count: n)
    checkTensor(d1.values, plus(fx.floats("residual/dinp1"), g1), tol: 1e-6, "residual dinp1")
    checkTensor(d2.values, plus(fx.floats("residual/dinp2"), g2), tol: 1e-6, "residual dinp2")
}

@Test func residualForwardMayWriteIntoItsInput() {
    let a = FloatBuffer([1, 2, 3]), b = FloatBuffer([10, 20, 30])
    residualForward(out: a.ptr, inp1: a.p, inp2: b.p, count: 3)
    #expect(a.values == [11, 22, 33])
}
