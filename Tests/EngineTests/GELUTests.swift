import Testing
@testable import Engine

@Test func geluMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let x = fx.floats("gelu/inp")
    let n = x.count
    let inp = FloatBuffer(x), out = FloatBuffer(zeros: n)
    geluForward(out: out.ptr, inp: inp.p, count: n)
    checkTensor(out.values, fx.floats("gelu/out"), tol: 1e-5, "gelu out")
    let g0 = randomFloats(n, seed: 31) , dinp = FloatBuffer(g0)
    let dout = FloatBuffer(fx.floats("gelu/dout"))
    geluBackward(dinp: dinp.ptr, dout: dout.p, inp: inp.p, count: n)
    checkTensor(dinp.values, plus(fx.floats("gelu/dinp"), g0), tol: 1e-3, relative: true, "gelu dinp")
}

@Test func geluGradientMatchesFiniteDifferences() {
    var rng = TestRandom(seed: 32)
    let n = 40
    let inputs = [rng.floats(n, scale: 4)], dout = rng.floats(n)
    func forward(_ x: [[Float]]) -> [Float] {
        let i = FloatBuffer(x[0]), out = FloatBuffer(zeros: n)
        geluForward(out: out.ptr, inp: i.p, count: n)
        return out.values
    }
    let i = FloatBuffer(inputs[0]), d = FloatBuffer(dout), dinp = FloatBuffer(zeros: n)
    geluBackward(dinp: dinp.ptr, dout: d.p, inp: i.p, count: n)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dinp.values], h: 1e-3, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-2 }, "finite-difference errors \(errors)")
}
