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

@Test func attentionMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let sizes = fx.ints("attention/sizes")
    let B = Int(sizes[0]), C = Int(sizes[1]), NH = Int(sizes[2])
    let offsets = fx.ints("attention/offsets")
    let N = Int(offsets[B])
    let o = IndexBuffer(offsets)
    #expect(attentionProbCount(offsets: o.p, B: B, NH: NH) == fx.floats("attention/prob").count)
    let (out, prob) = attention(fx.floats("attention/qkv"), offsets: offsets, C: C, NH: NH)
    checkTensor(out, fx.floats("attention/out"), tol: 1e-5, "attention out")
    checkTensor(prob, fx.floats("attention/prob"), tol: 1e-6, "attention prob")

    let g0 = randomFloats(N * 3 * C, seed: 61)
    let dqkv = FloatBuffer(g0), qkv = FloatBuffer(fx.floats("attention/qkv")), p = FloatBuffer(prob)
    let scratch = FloatBuffer(repeating: .nan, count: attentionScratchCount(offsets: o.p, B: B))
    let dout = FloatBuffer(fx.floats("attention/dout"))
    attentionBackward(dqkv: dqkv.ptr, scratch: scratch.ptr, dout: dout.p, qkv: qkv.p, prob: p.p,
                      offsets: o.p, B: B, C: C, NH: NH)
    checkTensor(dqkv.values, plus(fx.floats("attention/dqkv"), g0), tol: 1e-3, relative: true, "attention dqkv")
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
