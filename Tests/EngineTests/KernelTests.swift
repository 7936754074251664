import Foundation
import Testing
@testable import Engine

// MARK: - fastExp / fastTanh against libm

@Test func fastExpIsWithinAFewUlpOfLibm() {
    var worst: Double = 0
    var x: Float = -87
    while x < 88.3 {
        let want = Foundation.exp(Double(x))
        worst = max(worst, abs(Double(fastExp(x)) - want) / want)
        x += 0.0137
    }
    #expect(worst < 4e-7, "max relative error \(worst)")
    #expect(fastExp(-100) == 0 && fastExp(-.infinity) == 0)
    #expect(fastExp(0) == 1)
    #expect(fastExp(Float.nan).isNaN)
    #expect(fastExp(1000).isFinite)
}

@Test func fastTanhIsWithinTwoMillionthsOfLibm() {
    var worst: Double = 0
    var x: Float = -12
    while x < 12 {
        worst = max(worst, abs(Double(fastTanh(x)) - Foundation.tanh(Double(x))))
        x += 0.0031
    }
    #expect(worst < 2e-7, "max absolute error \(worst)")
    #expect(fastTanh(50) == 1 && fastTanh(-50) == -1)
}

@Test func simdAndScalarKernelsAgreeExactly() {
    let xs: [Float] = [-120, -87.31, -87.29, -3.5, -0.01, 0, 0.3, 7.25, 88.2, 300]
    for start in stride(from: 0, to: xs.count - 7, by: 1) {
        let v = SIMD8<Float>(xs[start..<(start + 8)])
        let e = fastExp(v), t = fastTanh(v)
        for lane in 0..<8 {
            #expect(e[lane] == fastExp(v[lane]), "exp(\(v[lane]))")
            #expect(t[lane] == fastTanh(v[lane]), "tanh(\(v[lane]))")
        }
    }
}

// MARK: - Eight-lane reductions against plain loops

@Test func reductionsMatchPlainLoopsForEveryTailLength() {
    var rng = TestRandom(seed: 111)
    for n in 0...27 {
        let a = FloatBuffer(rng.floats(n, scale: 3)), b = FloatBuffer(rng.floats(n))
        var sum: Double = 0, dot: Double = 0, dev: Double = 0, most = -Float.infinity
        for i in 0..<n {
            sum += Double(a.values[i]); dot += Double(a.values[i]) * Double(b.values[i])
            dev += Double(a.values[i] - 0.5) * Double(a.values[i] - 0.5); most = max(most, a.values[i])
        }
        #expect(abs(Double(reduceSum(a.p, n)) - sum) < 1e-5, "sum n=\(n)")
        #expect(abs(Double(reduceDot(a.p, b.p, n)) - dot) < 1e-5, "dot n=\(n)")
        #expect(abs(Double(reduceSquaredDeviation(a.p, 0.5, n)) - dev) < 1e-4, "deviation n=\(n)")
        #expect(reduceMax(a.p, n) == most, "max n=\(n)")
    }
}
