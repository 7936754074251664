import Testing
@testable import Engine

/// Runs attention forward on arrays; returns (out, prob).
private func attention(_ qkv: [Float], offsets: [Int32], C: Int, NH: Int) -> (out: [Float], prob: [Float]) {
    let B = offsets.count - 1, N = Int(offsets[B])
    let o = IndexBuffer(offsets)
    let q = FloatBuffer(qkv), out = FloatBuffer(zeros: N * C)
    let prob = FloatBuffer(zeros: attentionProbCount(offsets: o.p, B: B, NH: NH))
    attentionForward(out: out.ptr, prob: prob.ptr, qkv: q.p, offsets: o.p, B: B, C: C, NH: NH)
    return (out.values, prob.values)
}

/// Head size 4 runs the sgemm path, head size 32 the register-tiled one.
@Test(arguments: ["attention", "attention_tiled"])
func attentionMatchesPyTorch(_ prefix: String) throws {
    guard let fx = try LayerFixture.load() else { return }
    let sizes = fx.ints("\(prefix)/sizes")
    let B = Int(sizes[0]), C = Int(sizes[1]), NH = Int(sizes[2])
    let offsets = fx.ints("\(prefix)/offsets")
    let N = Int(offsets[B])
    let o = IndexBuffer(offsets)
    #expect(attentionProbCount(offsets: o.p, B: B, NH: NH) == fx.floats("\(prefix)/prob").count)
    let (out, prob) = attention(fx.floats("\(prefix)/qkv"), offsets: offsets, C: C, NH: NH)
    checkTensor(out, fx.floats("\(prefix)/out"), tol: 1e-5, "\(prefix) out")
    checkTensor(prob, fx.floats("\(prefix)/prob"), tol: 1e-6, "\(prefix) prob")

    let g0 = randomFloats(N * 3 * C, seed: 61)
    let dqkv = FloatBuffer(g0), qkv = FloatBuffer(fx.floats("\(prefix)/qkv")), p = FloatBuffer(prob)
    let scratch = FloatBuffer(repeating: .nan, count: attentionScratchCount(offsets: o.p, B: B))
    let dout = FloatBuffer(fx.floats("\(prefix)/dout"))
    attentionBackward(dqkv: dqkv.ptr, scratch: scratch.ptr, dout: dout.p, qkv: qkv.p, prob: p.p,
                      offsets: o.p, B: B, C: C, NH: NH)
    checkTensor(dqkv.values, plus(fx.floats("\(prefix)/dqkv"), g0), tol: 1e-3, relative: true, "\(prefix) dqkv")
}

@Test func attentionGradientMatchesFiniteDifferences() {
    var rng = TestRandom(seed: 62)
    let offsets: [Int32] = [0, 3, 3, 5], C = 4, NH = 2
    let B = 3, N = 5
    let inputs = [rng.floats(N * 3 * C, scale: 1.5)], dout = rng.floats(N * C)
    let o = IndexBuffer(offsets)
    let (_, prob) = attention(inputs[0], offsets: offsets, C: C, NH: NH)
    let dqkv = FloatBuffer(zeros: N * 3 * C), q = FloatBuffer(inputs[0]), p = FloatBuffer(prob), d = FloatBuffer(dout)
    let scratch = FloatBuffer(zeros: attentionScratchCount(offsets: o.p, B: B))
    attentionBackward(dqkv: dqkv.ptr, scratch: scratch.ptr, dout: d.p, qkv: q.p, prob: p.p, offsets: o.p, B: B, C: C, NH: NH)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dqkv.values], h: 1e-2) {
        attention($0[0], offsets: offsets, C: C, NH: NH).out
    }
    #expect(errors.allSatisfy { $0 < 1e-2 }, "finite-difference errors \(errors)")
}

@Test func attentionNeverCrossesSequences() {
    var rng = TestRandom(seed: 63)
    let offsets: [Int32] = [0, 4, 7], C = 6, NH = 3
    var qkv = rng.floats(7 * 3 * C)
    let before = attention(qkv, offsets: offsets, C: C, NH: NH).out
    for i in (4 * 3 * C)..<(7 * 3 * C) { qkv[i] += 1 }   // change only the second sequence
    let after = attention(qkv, offsets: offsets, C: C, NH: NH).out
    #expect(Array(before[0..<(4 * C)]) == Array(after[0..<(4 * C)]))
    #expect(Array(before[(4 * C)...]) != Array(after[(4 * C)...]))
}

@Test func attentionSizesFollowSequenceLengths() {
    let o = IndexBuffer([0, 5, 5, 14, 15])
    #expect(attentionProbCount(offsets: o.p, B: 4, NH: 2) == 2 * (25 + 0 + 81 + 1))
    #expect(attentionScratchCount(offsets: o.p, B: 4) == 81)
}

@Test func tiledAttentionMatchesTheSgemmPath() {
    var rng = TestRandom(seed: 64)
    // Head sizes 16, 32, 64; lengths around the tile edges (4 rows, 8 and 16 keys), empty ones.
    for (C, NH) in [(32, 2), (128, 4), (64, 1)] {
        let offsets = [Int32]([0, 1, 4, 4, 11, 19, 36, 86, 236])
        let B = offsets.count - 1, N = Int(offsets[B])
        let o = IndexBuffer(offsets), qkv = FloatBuffer(rng.floats(N * 3 * C, scale: 2))
        let count = attentionProbCount(offsets: o.p, B: B, NH: NH)
        let tiled = (out: FloatBuffer(repeating: .nan, count: N * C), prob: FloatBuffer(repeating: .nan, count: count))
        let blas = (out: FloatBuffer(repeating: .nan, count: N * C), prob: FloatBuffer(repeating: .nan, count: count))
        tiledAttentionForward(out: tiled.out.ptr, prob: tiled.prob.ptr, qkv: qkv.p, offsets: o.p, B: B, C: C, NH: NH)
        blasAttentionForward(out: blas.out.ptr, prob: blas.prob.ptr, qkv: qkv.p, offsets: o.p, B: B, C: C, NH: NH)
        checkTensor(tiled.out.values, blas.out.values, tol: 1e-5, "tiled out, C \(C) NH \(NH)")
        checkTensor(tiled.prob.values, blas.prob.values, tol: 1e-6, "tiled prob, C \(C) NH \(NH)")
    }
}
