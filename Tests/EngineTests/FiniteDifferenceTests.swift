import Testing
@testable import Engine

// MARK: - Finite differences for the layers without their own FD test
//
// Matmul, LayerNorm, GELU, attention, L2 norm and InfoNCE have theirs beside their PyTorch
// tests; these cover the rest, each on a small size with every input element perturbed.

@Test func softmaxGradientMatchesFiniteDifferences() {
    var rng = TestRandom(seed: 121)
    let R = 3, L = 7
    let inputs = [rng.floats(R * L, scale: 2)], dout = rng.floats(R * L)
    func forward(_ x: [[Float]]) -> [Float] {
        let i = FloatBuffer(x[0]), out = FloatBuffer(zeros: R * L)
        softmaxForward(out: out.ptr, inp: i.p, R: R, L: L)
        return out.values
    }
    let out = FloatBuffer(forward(inputs)), d = FloatBuffer(dout), dinp = FloatBuffer(zeros: R * L)
    softmaxBackward(dinp: dinp.ptr, dout: d.p, out: out.p, R: R, L: L)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dinp.values], h: 1e-3, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-2 }, "finite-difference errors \(errors)")
}

@Test func mseLossGradientMatchesFiniteDifferences() {
    var rng = TestRandom(seed: 122)
    let N = 5, P = 3
    let index = IndexBuffer([4, 0, 2])
    let inputs = [rng.floats(N * P)], target = FloatBuffer(rng.floats(N * P))
    func forward(_ x: [[Float]]) -> [Float] {
        let pred = FloatBuffer(x[0])
        return [mseLossForward(pred: pred.p, target: target.p, index: index.p, K: 3, P: P)]
    }
    let pred = FloatBuffer(inputs[0]), dpred = FloatBuffer(zeros: N * P)
    mseLossBackward(dpred: dpred.ptr, pred: pred.p, target: target.p, index: index.p, K: 3, P: P, dloss: 1.5)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: [1.5], analytic: [dpred.values], h: 1e-2, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-3 }, "finite-difference errors \(errors)")
    // rows 1 and 3 are not selected: exactly zero gradient
    #expect(dpred.values[3..<6].allSatisfy { $0 == 0 } && dpred.values[9..<12].allSatisfy { $0 == 0 })
}

@Test func meanPoolGradientMatchesFiniteDifferences() {
    var rng = TestRandom(seed: 123)
    let offsets = IndexBuffer([0, 2, 2, 5]), B = 3, C = 2, N = 5
    let inputs = [rng.floats(N * C)], dout = rng.floats(B * C)
    func forward(_ x: [[Float]]) -> [Float] {
        let i = FloatBuffer(x[0]), out = FloatBuffer(zeros: B * C)
        meanPoolForward(out: out.ptr, inp: i.p, offsets: offsets.p, B: B, C: C)
        return out.values
    }
    let d = FloatBuffer(dout), dinp = FloatBuffer(zeros: N * C)
    meanPoolBackward(dinp: dinp.ptr, dout: d.p, offsets: offsets.p, B: B, C: C)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dinp.values], h: 1e-2, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-3 }, "finite-difference errors \(errors)")
}

@Test func embeddingGradientsMatchFiniteDifferences() {
    var rng = TestRandom(seed: 124)
    let N = 4, C = 3, T = 3
    let positions = IndexBuffer([2, 0, 2, 1])
    let inputs = [rng.floats(N * C), rng.floats(T * C), rng.floats(C)], dout = rng.floats(N * C)
    func forward(_ x: [[Float]]) -> [Float] {
        let i = FloatBuffer(x[0]), wpe = FloatBuffer(x[1]), vec = FloatBuffer(x[2]), out = FloatBuffer(zeros: N * C)
        positionEmbeddingForward(out: out.ptr, inp: i.p, wpe: wpe.p, positions: positions.p, N: N, C: C)
        modalityEmbeddingForward(out: out.ptr, inp: out.p, vec: vec.p, N: N, C: C)
        return out.values
    }
    let d = FloatBuffer(dout)
    let dinp = FloatBuffer(zeros: N * C), dwpe = FloatBuffer(zeros: T * C), dvec = FloatBuffer(zeros: C)
    // both adds pass dout straight through to their input, so the input gradient is dout once
    modalityEmbeddingBackward(dinp: nil, dvec: dvec.ptr, dout: d.p, N: N, C: C)
    positionEmbeddingBackward(dinp: dinp.ptr, dwpe: dwpe.ptr, dout: d.p, positions: positions.p, N: N, C: C)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dinp.values, dwpe.values, dvec.values],
                                        h: 1e-2, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-3 }, "finite-difference errors \(errors)")
}

@Test func decoderInputGradientsMatchFiniteDifferences() {
    // scatter the visible rows, fill the mask token elsewhere, then gather a few rows back out
    var rng = TestRandom(seed: 125)
    let C = 2, N = 5
    let visible = IndexBuffer([3, 0]), hidden = IndexBuffer([1, 2, 4]), picked = IndexBuffer([4, 3, 3, 1])
    let inputs = [rng.floats(2 * C), rng.floats(C)], dout = rng.floats(4 * C)
    func forward(_ x: [[Float]]) -> [Float] {
        let v = FloatBuffer(x[0]), token = FloatBuffer(x[1]), full = FloatBuffer(zeros: N * C), out = FloatBuffer(zeros: 4 * C)
        scatterRowsForward(out: full.ptr, inp: v.p, index: visible.p, M: 2, C: C)
        fillRowsForward(out: full.ptr, token: token.p, index: hidden.p, K: 3, C: C)
        gatherRowsForward(out: out.ptr, inp: full.p, index: picked.p, M: 4, C: C)
        return out.values
    }
    let d = FloatBuffer(dout), dfull = FloatBuffer(zeros: N * C)
    let dv = FloatBuffer(zeros: 2 * C), dtoken = FloatBuffer(zeros: C)
    gatherRowsBackward(dinp: dfull.ptr, dout: d.p, index: picked.p, M: 4, C: C)
    fillRowsBackward(dtoken: dtoken.ptr, dout: dfull.p, index: hidden.p, K: 3, C: C)
    scatterRowsBackward(dinp: dv.ptr, dout: dfull.p, index: visible.p, M: 2, C: C)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dv.values, dtoken.values], h: 1e-2, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-3 }, "finite-difference errors \(errors)")
}
