import Testing
@testable import Engine

@Test func gatherMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let N = fx.shape("gather/inp")[0], C = fx.shape("gather/inp")[1]
    let index = IndexBuffer(fx.ints("gather/index")), M = index.count
    let inp = FloatBuffer(fx.floats("gather/inp")), out = FloatBuffer(zeros: M * C)
    gatherRowsForward(out: out.ptr, inp: inp.p, index: index.p, M: M, C: C)
    checkTensor(out.values, fx.floats("gather/out"), tol: 0, "gather out")
    let g0 = randomFloats(N * C, seed: 81)
    let dinp = FloatBuffer(g0), dout = FloatBuffer(fx.floats("gather/dout"))
    gatherRowsBackward(dinp: dinp.ptr, dout: dout.p, index: index.p, M: M, C: C)
    checkTensor(dinp.values, plus(fx.floats("gather/dinp"), g0), tol: 1e-6, "gather dinp (repeats accumulate)")
}

@Test func scatterAndMaskFillMatchPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let M = fx.shape("scatterfill/inp")[0], C = fx.shape("scatterfill/inp")[1]
    let N = fx.shape("scatterfill/out")[0]
    let vindex = IndexBuffer(fx.ints("scatterfill/vindex")), hindex = IndexBuffer(fx.ints("scatterfill/hindex"))
    let inp = FloatBuffer(fx.floats("scatterfill/inp")), token = FloatBuffer(fx.floats("scatterfill/token"))
    let out = FloatBuffer(repeating: .nan, count: N * C)   // every row must be written
    scatterRowsForward(out: out.ptr, inp: inp.p, index: vindex.p, M: M, C: C)
    fillRowsForward(out: out.ptr, token: token.p, index: hindex.p, K: hindex.count, C: C)
    checkTensor(out.values, fx.floats("scatterfill/out"), tol: 0, "scatter+fill out")
    var rng = TestRandom(seed: 82)
    let g0 = (rng.floats(M * C), rng.floats(C))
    let dinp = FloatBuffer(g0.0), dtoken = FloatBuffer(g0.1), dout = FloatBuffer(fx.floats("scatterfill/dout"))
    scatterRowsBackward(dinp: dinp.ptr, dout: dout.p, index: vindex.p, M: M, C: C)
    fillRowsBackward(dtoken: dtoken.ptr, dout: dout.p, index: hindex.p, K: hindex.count, C: C)
    checkTensor(dinp.values, plus(fx.floats("scatterfill/dinp"), g0.0), tol: 1e-6, "scatter dinp")
    checkTensor(dtoken.values, plus(fx.floats("scatterfill/dtoken"), g0.1), tol: 1e-5, "mask token dtoken")
}

@Test func gatherThenScatterRestoresRows() {
    var rng = TestRandom(seed: 83)
    let C = 3, rows = rng.floats(6 * C)
    let index = IndexBuffer([5, 0, 3]), src = FloatBuffer(rows)
    let picked = FloatBuffer(zeros: 3 * C), back = FloatBuffer(zeros: 6 * C)
    gatherRowsForward(out: picked.ptr, inp: src.p, index: index.p, M: 3, C: C)
    scatterRowsForward(out: back.ptr, inp: picked.p, index: index.p, M: 3, C: C)
    for r in [0, 3, 5] { #expect(Array(back.values[(r * C)..<(r * C + C)]) == Array(rows[(r * C)..<(r * C + C)])) }
    for r in [1, 2, 4] { #expect(back.values[(r * C)..<(r * C + C)].allSatisfy { $0 == 0 }, "row \(r) untouched") }
}
