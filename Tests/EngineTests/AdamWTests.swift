import Testing
@testable import Engine

@Test func adamWWithClippingMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let s = fx.floats("adamw/settings")
    let config = AdamWConfig(beta1: s[1], beta2: s[2], eps: s[3], weightDecay: s[4])
    let lr = s[0], maxNorm = s[5]
    let params = FloatBuffer(fx.floats("adamw/params0")), n = params.count
    let mask = FloatBuffer(fx.floats("adamw/mask"))
    let m = FloatBuffer(zeros: n), v = FloatBuffer(zeros: n)
    let allGrads = fx.floats("adamw/grads"), steps = allGrads.count / n
    var norms: [Float] = []
    for step in 0..<steps {
        let g = FloatBuffer(Array(allGrads[(step * n)..<((step + 1) * n)]))
        norms.append(clipGradients(grads: g.ptr, count: n, maxNorm: maxNorm))
        #expect(gradientGlobalNorm(grads: g.p, count: n) <= maxNorm * 1.0001)
        adamWUpdate(params: params.ptr, grads: g.p, m: m.ptr, v: v.ptr, decayMask: mask.p, count: n,
                    learningRate: lr, step: step + 1, config: config)
    }
    checkTensor(norms, fx.floats("adamw/norms"), tol: 1e-5, relative: true, "global gradient norms")
    checkTensor(params.values, fx.floats("adamw/params"), tol: 1e-5, "AdamW parameters after \(steps) steps")
}

@Test func adamWDecaysOnlyMaskedParameters() {
    // zero gradient: the Adam term is 0, so only decoupled weight decay moves a parameter
    let params = FloatBuffer([2, 2]), grads = FloatBuffer(zeros: 2), mask = FloatBuffer([1, 0])
    let m = FloatBuffer(zeros: 2), v = FloatBuffer(zeros: 2)
    adamWUpdate(params: params.ptr, grads: grads.p, m: m.ptr, v: v.ptr, decayMask: mask.p, count: 2,
                learningRate: 0.1, step: 1, config: AdamWConfig(weightDecay: 0.5))
    #expect(params.values == [2 - 0.1 * 0.5 * 2, 2])
}

@Test func globalNormIsExactAndClippingLeavesSmallGradientsAlone() {
    let count = 37   // not a multiple of the 8-wide partial sums
    let values: [Float] = (0..<count).map { i in Float(i % 5 - 2) }
    var sum: Double = 0
    for x in values { sum += Double(x) * Double(x) }
    let expected = Float(sum.squareRoot())
    let g = FloatBuffer(values)
    #expect(abs(gradientGlobalNorm(grads: g.p, count: count) - expected) < 1e-5)
    let before = g.values
    #expect(abs(clipGradients(grads: g.ptr, count: count, maxNorm: 100) - expected) < 1e-5)
    #expect(g.values == before)
}
