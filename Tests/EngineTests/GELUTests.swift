import Testing
import Foundation
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

/// GELU (tanh approximation) in Double, the definition itself.
private func geluReference(_ x: Double) -> Double {
    0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
}

@Test func geluForwardMatchesTheTanhDefinitionOverAWideRange() {
    // the logistic form x / (1 + e^{−2u}) against 0.5·x·(1 + tanh u) in Double, from deep
    // in the negative tail (e^{−2u} clamped) to far positive (result x), on both code paths
    var xs: [Float] = []
    var x: Float = -30
    while x < 30 { xs.append(x); x += 0.0173 }
    xs += [-1e6, -100, -10.5, 10.5, 100, 1e6, 0, -0, 1e-30, -1e-30]
    let inp = FloatBuffer(xs), out = FloatBuffer(zeros: xs.count)
    geluForward(out: out.ptr, inp: inp.p, count: xs.count)
    var worst: Double = 0
    for (i, v) in xs.enumerated() {
        let want = geluReference(Double(v))
        worst = max(worst, abs(Double(out.values[i]) - want) / max(1, abs(want)))
    }
    #expect(worst < 1e-6, "max error (relative above 1) \(worst)")
    #expect(out.values.allSatisfy { $0.isFinite })
    // in place, and every tail length: the SIMD and scalar paths give identical results
    for n in 0...19 {
        let a = FloatBuffer(Array(xs[300..<(300 + n)]))
        let b = FloatBuffer(zeros: n)
        geluForward(out: b.ptr, inp: a.p, count: n)
        geluForward(out: a.ptr, inp: a.p, count: n)
        #expect(a.values == b.values, "in place n=\(n)")
        for i in 0..<n {
            let one = FloatBuffer([xs[300 + i]]), r = FloatBuffer(zeros: 1)
            geluForward(out: r.ptr, inp: one.p, count: 1)
            #expect(r.values[0] == b.values[i], "lane \(i) of n=\(n)")
        }
    }
    let nan = FloatBuffer([Float.nan]), r = FloatBuffer(zeros: 1)
    geluForward(out: r.ptr, inp: nan.p, count: 1)
    #expect(r.values[0].isNaN)
}
