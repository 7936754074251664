import Testing
@testable import Engine

@Test func softmaxMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let R = fx.shape("softmax/inp")[0], L = fx.shape("softmax/inp")[1]
    let inp = FloatBuffer(fx.floats("softmax/inp")), out = FloatBuffer(zeros: R * L)
    softmaxForward(out: out.ptr, inp: inp.p, R: R, L: L)
    checkTensor(out.values, fx.floats("softmax/out"), tol: 1e-6, "softmax out")
    let g0 = randomFloats(R * L, seed: 51), dinp = FloatBuffer(g0), dout = FloatBuffer(fx.floats("softmax/dout"))
    softmaxBackward(dinp: dinp.ptr, dout: dout.p, out: out.p, R: R, L: L)
    checkTensor(dinp.values, plus(fx.floats("softmax/dinp"), g0), tol: 1e-3, relative: true, "softmax dinp")
}

@Test func softmaxIsStableForLargeLogits() {
    let x = FloatBuffer([1000, 1000, -1000, 0]), out = FloatBuffer(zeros: 4)
    softmaxForward(out: out.ptr, inp: x.p, R: 1, L: 4)
    #expect(out.values == [0.5, 0.5, 0, 0])
}
