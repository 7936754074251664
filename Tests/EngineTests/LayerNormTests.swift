import Testing
@testable import Engine

@Test func layerNormMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let N = fx.shape("layernorm/inp")[0], C = fx.shape("layernorm/inp")[1]
    let inp = FloatBuffer(fx.floats("layernorm/inp"))
    let w = FloatBuffer(fx.floats("layernorm/weight")), b = FloatBuffer(fx.floats("layernorm/bias"))
    let out = FloatBuffer(zeros: N * C), mean = FloatBuffer(zeros: N), rstd = FloatBuffer(zeros: N)
    layerNormForward(out: out.ptr, mean: mean.ptr, rstd: rstd.ptr, inp: inp.p, weight: w.p, bias: b.p, N: N, C: C)
    checkTensor(out.values, fx.floats("layernorm/out"), tol: 1e-5, "layernorm out")
    checkTensor(mean.values, fx.floats("layernorm/mean"), tol: 1e-5, "layernorm mean")
    checkTensor(rstd.values, fx.floats("layernorm/rstd"), tol: 1e-3, relative: true, "layernorm rstd")

    var rng = TestRandom(seed: 21)
    let g0 = (rng.floats(N * C), rng.floats(C), rng.floats(C))
    let dinp = FloatBuffer(g0.0), dw = FloatBuffer(g0.1), db = FloatBuffer(g0.2)
    let dout = FloatBuffer(fx.floats("layernorm/dout"))
    layerNormBackward(dinp: dinp.ptr, dweight: dw.ptr, dbias: db.ptr, dout: dout.p, inp: inp.p, weight: w.p,
                      mean: mean.p, rstd: rstd.p, N: N, C: C)
    checkTensor(dinp.values, plus(fx.floats("layernorm/dinp"), g0.0), tol: 1e-3, relative: true, "layernorm dinp")
    checkTensor(dw.values, plus(fx.floats("layernorm/dweight"), g0.1), tol: 1e-3, relative: true, "layernorm dweight")
    checkTensor(db.values, plus(fx.floats("layernorm/dbias"), g0.2), tol: 1e-3, relative: true, "layernorm dbias")
}

@Test func layerNormGradientsMatchFiniteDifferences() {
    var rng = TestRandom(seed: 22)
    let N = 3, C = 6
    let inputs = [rng.floats(N * C, scale: 2), rng.floats(C).map { 1 + $0 * 0.3 }, rng.floats(C)]
    let dout = rng.floats(N * C)
    func forward(_ x: [[Float]]) -> [Float] {
        let out = FloatBuffer(zeros: N * C), m = FloatBuffer(zeros: N), r = FloatBuffer(zeros: N)
        let i = FloatBuffer(x[0]), w = FloatBuffer(x[1]), b = FloatBuffer(x[2])
        layerNormForward(out: out.ptr, mean: m.ptr, rstd: r.ptr, inp: i.p, weight: w.p, bias: b.p, N: N, C: C)
        return out.values
    }
    let out = FloatBuffer(zeros: N * C), m = FloatBuffer(zeros: N), r = FloatBuffer(zeros: N)
    let i = FloatBuffer(inputs[0]), w = FloatBuffer(inputs[1]), b = FloatBuffer(inputs[2]), d = FloatBuffer(dout)
    layerNormForward(out: out.ptr, mean: m.ptr, rstd: r.ptr, inp: i.p, weight: w.p, bias: b.p, N: N, C: C)
    let dinp = FloatBuffer(zeros: N * C), dw = FloatBuffer(zeros: C), db = FloatBuffer(zeros: C)
    layerNormBackward(dinp: dinp.ptr, dweight: dw.ptr, dbias: db.ptr, dout: d.p, inp: i.p, weight: w.p,
                      mean: m.p, rstd: r.p, N: N, C: C)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dinp.values, dw.values, db.values],
                                        h: 1e-3, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-2 }, "finite-difference errors \(errors)")
}
