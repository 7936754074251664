import Testing
@testable import Engine

@Test func positionEmbeddingMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let N = fx.shape("posemb/inp")[0], C = fx.shape("posemb/inp")[1], T = fx.shape("posemb/wpe")[0]
    let inp = FloatBuffer(fx.floats("posemb/inp")), wpe = FloatBuffer(fx.floats("posemb/wpe"))
    let pos = IndexBuffer(fx.ints("posemb/positions")), out = FloatBuffer(zeros: N * C)
    positionEmbeddingForward(out: out.ptr, inp: inp.p, wpe: wpe.p, positions: pos.p, N: N, C: C)
    checkTensor(out.values, fx.floats("posemb/out"), tol: 1e-6, "posemb out")
    var rng = TestRandom(seed: 71)
    let g0 = (rng.floats(N * C), rng.floats(T * C))
    let dinp = FloatBuffer(g0.0), dwpe = FloatBuffer(g0.1), dout = FloatBuffer(fx.floats("posemb/dout"))
    positionEmbeddingBackward(dinp: dinp.ptr, dwpe: dwpe.ptr, dout: dout.p, positions: pos.p, N: N, C: C)
    checkTensor(dinp.values, plus(fx.floats("posemb/dinp"), g0.0), tol: 1e-5, "posemb dinp")
    checkTensor(dwpe.values, plus(fx.floats("posemb/dwpe"), g0.1), tol: 1e-5, "posemb dwpe (repeated positions accumulate)")
    let dwpeOnly = FloatBuffer(zeros: T * C)
    positionEmbeddingBackward(dinp: nil, dwpe: dwpeOnly.ptr, dout: dout.p, positions: pos.p, N: N, C: C)
    checkTensor(dwpeOnly.values, fx.floats("posemb/dwpe"), tol: 1e-5, "posemb dwpe without dinp")
}

@Test func modalityEmbeddingMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let N = fx.shape("modemb/inp")[0], C = fx.shape("modemb/inp")[1]
    let inp = FloatBuffer(fx.floats("modemb/inp")), vec = FloatBuffer(fx.floats("modemb/vec"))
    // in place, as the model applies it
    modalityEmbeddingForward(out: inp.ptr, inp: inp.p, vec: vec.p, N: N, C: C)
    checkTensor(inp.values, fx.floats("modemb/out"), tol: 1e-6, "modemb out")
    var rng = TestRandom(seed: 72)
    let g0 = (rng.floats(N * C), rng.floats(C))
    let dinp = FloatBuffer(g0.0), dvec = FloatBuffer(g0.1), dout = FloatBuffer(fx.floats("modemb/dout"))
    modalityEmbeddingBackward(dinp: dinp.ptr, dvec: dvec.ptr, dout: dout.p, N: N, C: C)
    checkTensor(dinp.values, plus(fx.floats("modemb/dinp"), g0.0), tol: 1e-5, "modemb dinp")
    checkTensor(dvec.values, plus(fx.floats("modemb/dvec"), g0.1), tol: 1e-5, "modemb dvec")
}
