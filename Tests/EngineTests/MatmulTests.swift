import Testing
@testable import Engine

// MARK: - sgemm wrapper against a naive loop

/// The naive row-major reference: C = alpha·op(A)·op(B) + beta·C, accumulated in Double.
private func naiveGemm(transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
                       A: [Float], lda: Int, B: [Float], ldb: Int, beta: Float, C: [Float], ldc: Int) -> [Float] {
    var out = C
    for i in 0..<M {
        for j in 0..<N {
            var s: Double = 0
            for k in 0..<K {
                let a = transA ? A[k * lda + i] : A[i * lda + k]
                let b = transB ? B[j * ldb + k] : B[k * ldb + j]
                s += Double(a) * Double(b)
            }
            let old = beta == 0 ? 0 : Double(beta) * Double(C[i * ldc + j])
            out[i * ldc + j] = Float(Double(alpha) * s + old)
        }
    }
    return out
}

@Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
func sgemmMatchesNaiveLoop(transA: Bool, transB: Bool) {
    var rng = TestRandom(seed: 11)
    let M = 5, N = 7, K = 9
    // strided storage: every leading dimension is wider than the matrix it holds
    let lda = (transA ? M : K) + 3, ldb = (transB ? K : N) + 2, ldc = N + 4
    let A = rng.floats((transA ? K : M) * lda), B = rng.floats((transB ? N : K) * ldb)
    for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
        var start = rng.floats(M * ldc)
        if beta == 0 { start = start.map { _ in Float.nan } }   // beta 0 must ignore old C, NaN too
        let c = FloatBuffer(start)
        let a = FloatBuffer(A), b = FloatBuffer(B)
        sgemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: alpha,
              A: a.p, lda: lda, B: b.p, ldb: ldb, beta: beta, C: c.ptr, ldc: ldc)
        let expected = naiveGemm(transA: transA, transB: transB, M: M, N: N, K: K, alpha: alpha,
                                 A: A, lda: lda, B: B, ldb: ldb, beta: beta, C: start, ldc: ldc)
        // compare only the M×N block; the padding columns must be untouched
        var got: [Float] = [], want: [Float] = []
        for i in 0..<M {
            for j in 0..<ldc {
                if j < N { got.append(c.values[i * ldc + j]); want.append(expected[i * ldc + j]) }
                else if beta != 0 { #expect(c.values[i * ldc + j] == start[i * ldc + j], "padding at (\(i), \(j)) changed") }
            }
        }
        checkTensor(got, want, tol: 1e-5, "sgemm transA=\(transA) transB=\(transB) alpha=\(alpha) beta=\(beta)")
    }
}

@Test func sgemmWithEmptyInnerDimensionScalesByBeta() {
    let c = FloatBuffer([1, 2, 3, 4])
    let dummy = FloatBuffer([0])
    sgemm(transA: false, transB: false, M: 2, N: 2, K: 0, alpha: 1, A: dummy.p, lda: 1, B: dummy.p, ldb: 2,
          beta: 0.5, C: c.ptr, ldc: 2)
    #expect(c.values == [0.5, 1, 1.5, 2])
    sgemm(transA: false, transB: false, M: 2, N: 2, K: 0, alpha: 1, A: dummy.p, lda: 1, B: dummy.p, ldb: 2,
          beta: 0, C: c.ptr, ldc: 2)
    #expect(c.values == [0, 0, 0, 0])
}

@Test func linksAgainstOpenBLAS() {
    #expect(blasConfiguration().contains("OpenBLAS"))
}

// MARK: - Linear layer against PyTorch

@Test func matmulMatchesPyTorch() throws {
    guard let fx = try LayerFixture.load() else { return }
    let shape = fx.shape("matmul/weight")
    let OC = shape[0], C = shape[1], N = fx.shape("matmul/inp")[0]
    let inp = FloatBuffer(fx.floats("matmul/inp")), w = FloatBuffer(fx.floats("matmul/weight"))
    let bias = FloatBuffer(fx.floats("matmul/bias"))
    let out = FloatBuffer(zeros: N * OC)
    matmulForward(out: out.ptr, inp: inp.p, weight: w.p, bias: bias.p, N: N, C: C, OC: OC)
    checkTensor(out.values, fx.floats("matmul/out"), tol: 1e-5, "matmul out")

    // backward accumulates: start every gradient at a known non-zero value
    var rng = TestRandom(seed: 3)
    let g0 = (rng.floats(N * C), rng.floats(OC * C), rng.floats(OC))
    let dinp = FloatBuffer(g0.0), dw = FloatBuffer(g0.1), db = FloatBuffer(g0.2)
    let dout = FloatBuffer(fx.floats("matmul/dout"))
    matmulBackward(dinp: dinp.ptr, dweight: dw.ptr, dbias: db.ptr, dout: dout.p, inp: inp.p, weight: w.p, N: N, C: C, OC: OC)
    checkTensor(dinp.values, plus(fx.floats("matmul/dinp"), g0.0), tol: 1e-3, relative: true, "matmul dinp")
    checkTensor(dw.values, plus(fx.floats("matmul/dweight"), g0.1), tol: 1e-3, relative: true, "matmul dweight")
    checkTensor(db.values, plus(fx.floats("matmul/dbias"), g0.2), tol: 1e-3, relative: true, "matmul dbias")

    // without bias: out − bias; no input gradient requested
    let plain = FloatBuffer(repeating: .nan, count: N * OC)
    matmulForward(out: plain.ptr, inp: inp.p, weight: w.p, bias: nil, N: N, C: C, OC: OC)
    let expected = fx.floats("matmul/out").enumerated().map { $0.element - bias.values[$0.offset % OC] }
    checkTensor(plain.values, expected, tol: 1e-5, "matmul out without bias")
    let dw2 = FloatBuffer(zeros: OC * C)
    matmulBackward(dinp: nil, dweight: dw2.ptr, dbias: nil, dout: dout.p, inp: inp.p, weight: w.p, N: N, C: C, OC: OC)
    checkTensor(dw2.values, fx.floats("matmul/dweight"), tol: 1e-3, relative: true, "matmul dweight (no dinp, no bias)")
}

@Test func matmulGradientsMatchFiniteDifferences() {
    var rng = TestRandom(seed: 5)
    let N = 3, C = 4, OC = 5
    let inputs = [rng.floats(N * C), rng.floats(OC * C), rng.floats(OC)]
    let dout = rng.floats(N * OC)
    func forward(_ x: [[Float]]) -> [Float] {
        let out = FloatBuffer(zeros: N * OC)
        let i = FloatBuffer(x[0]), w = FloatBuffer(x[1]), b = FloatBuffer(x[2])
        matmulForward(out: out.ptr, inp: i.p, weight: w.p, bias: b.p, N: N, C: C, OC: OC)
        return out.values
    }
    let dinp = FloatBuffer(zeros: N * C), dw = FloatBuffer(zeros: OC * C), db = FloatBuffer(zeros: OC)
    let i = FloatBuffer(inputs[0]), w = FloatBuffer(inputs[1]), d = FloatBuffer(dout)
    matmulBackward(dinp: dinp.ptr, dweight: dw.ptr, dbias: db.ptr, dout: d.p, inp: i.p, weight: w.p, N: N, C: C, OC: OC)
    let errors = finiteDifferenceErrors(inputs: inputs, dout: dout, analytic: [dinp.values, dw.values, db.values], forward: forward)
    #expect(errors.allSatisfy { $0 < 1e-3 }, "finite-difference errors \(errors)")
}
