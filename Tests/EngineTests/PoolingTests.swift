import Testing
@testable import Engine

@Test func meanPoolMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let N = fx.shape("meanpool/inp")[0], C = fx.shape("meanpool/inp")[1]
    let offsets = IndexBuffer(fx.ints("meanpool/offsets")), B = offsets.count - 1
    let inp = FloatBuffer(fx.floats("meanpool/inp")), out = FloatBuffer(repeating: .nan, count: B * C)
    meanPoolForward(out: out.ptr, inp: inp.p, offsets: offsets.p, B: B, C: C)
    checkTensor(out.values, fx.floats("meanpool/out"), tol: 1e-6, "meanpool out (an empty sequence gives zeros)")
    let g0 = randomFloats(N * C, seed: 91)
    let dinp = FloatBuffer(g0), dout = FloatBuffer(fx.floats("meanpool/dout"))
    meanPoolBackward(dinp: dinp.ptr, dout: dout.p, offsets: offsets.p, B: B, C: C)
    checkTensor(dinp.values, plus(fx.floats("meanpool/dinp"), g0), tol: 1e-6, "meanpool dinp")
}

@Test func l2NormMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let B = fx.shape("l2norm/inp")[0], C = fx.shape("l2norm/inp")[1]
    let inp = FloatBuffer(fx.floats("l2norm/inp")), out = FloatBuffer(zeros: B * C), norm = FloatBuffer(zeros: B)
    l2NormForward(out: out.ptr, norm: norm.ptr, inp: inp.p, B: B, C: C)
    checkTensor(out.values, fx.floats("l2norm/out"), tol: 1e-6, "l2norm out")
    checkTensor(norm.values, fx.floats("l2norm/norm"), tol: 1e-5, relative: true, "l2norm norm")
    let g0 = randomFloats(B * C, seed: 92)
    let dinp = FloatBuffer(g0), dout = FloatBuffer(fx.floats("l2norm/dout"))
    l2NormBackward(dinp: dinp.ptr, dout: dout.p, out: out.p, norm: norm.p, B: B, C: C)
    checkTensor(dinp.values, plus(fx.floats("l2norm/dinp"), g0), tol: 1e-3, relative: true, "l2norm dinp")
}

@Test func l2NormGradientMatchesFiniteDifferences() {
    var rng = TestRandom(seed: 93)
    let B = 3, C = 4
    let inputs = [rng.floats(B * C)], dout = rng.floats(B * C)
    func forward(_ v: [[Float]]) -> [Float] {
        let i = FloatBuffer(v[0]), out = FloatBuffer(zeros: B * C), n = FloatBuffer(zeros: B)
        l2NormForward(out: out.ptr, norm: n.ptr, inp: i.p, B: B, C: C)
        return out.values
    }
    let i = FloatBuffer(inputs[0]), out = FloatBuffer(zeros: B * C), n = FloatBuffer(zeros: B)
    l2NormForward(out: out.ptr, norm: n.ptr, inp: i.p, B: B, C: C)
    let dinp = FloatBuffer(zeros: B * C), d = FloatBuffer(dout)
    l2NormBackward(dinp: dinp.ptr, dout: d.p, out: out.p, norm: n.p, B: B, C: C)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dinp.values], h: 1e-3, forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-2 }, "finite-difference errors \(errors)")
}

@Test func l2NormOfAZeroRowIsZeroWithPyTorchsClampedGradient() {
    let inp = FloatBuffer([0, 0, 0, 3, 4, 0]), out = FloatBuffer(repeating: .nan, count: 6), norm = FloatBuffer(zeros: 2)
    l2NormForward(out: out.ptr, norm: norm.ptr, inp: inp.p, B: 2, C: 3)
    #expect(out.values == [0, 0, 0, 0.6, 0.8, 0])
    #expect(norm.values == [l2NormEpsilon, 5])
    let dinp = FloatBuffer(zeros: 6), dout = FloatBuffer([1, -2, 0.5, 0, 0, 0])
    l2NormBackward(dinp: dinp.ptr, dout: dout.p, out: out.p, norm: norm.p, B: 2, C: 3)
    // x / clamp_min(‖x‖, eps): below eps the divisor is a constant, so dx = dout / eps
    checkTensor(Array(dinp.values[0..<3]), [1 / l2NormEpsilon, -2 / l2NormEpsilon, 0.5 / l2NormEpsilon],
                tol: 1e-6, relative: true, "zero-row gradient")
}
