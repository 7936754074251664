import Testing
import CCPU
@testable import Engine

// MARK: - The choice from CPU features

/// Feature sets of CPUs this machine is not: what the choice must do there.
private let avx2CPU = CPUFeatures(bits: BLASKernel.haswell.needs)
private let sse2CPU = CPUFeatures(bits: UInt32(M2AE_CPU_X86_64) | UInt32(M2AE_CPU_SSE2))
private let avx512CPU = CPUFeatures(bits: BLASKernel.cooperlake.needs)

@Test func bestKernelFollowsFeaturesNotModel() {
    #expect(BLASKernel.best(for: avx512CPU) == .skylakeX)
    #expect(BLASKernel.best(for: avx2CPU) == .haswell)
    #expect(BLASKernel.best(for: CPUFeatures(bits: BLASKernel.sandybridge.needs)) == .sandybridge)
    #expect(BLASKernel.best(for: sse2CPU) == nil, "no SSE3: OpenBLAS's own choice stands")
}

@Test func unrunnableRequestFallsBackToTheBestWithOneLine() {
    let (kernel, note) = BLASKernels.decide(requested: "SkylakeX", features: avx2CPU)
    #expect(kernel == .haswell)
    #expect(note == "OPENBLAS_CORETYPE=SkylakeX names kernels this CPU cannot run (it lacks avx512f, avx512dq, avx512cd, avx512bw, avx512vl); using Haswell")
    let (k2, n2) = BLASKernels.decide(requested: "haswell", features: CPUFeatures(bits: BLASKernel.prescott.needs))
    #expect(k2 == .prescott && n2?.contains("it lacks ssse3, sse4.1, sse4.2, avx, fma, avx2") == true, "\(n2 ?? "nil")")
}

@Test func unknownRequestFallsBackToTheBest() {
    let (kernel, note) = BLASKernels.decide(requested: "SapphireRapids", features: avx512CPU)
    #expect(kernel == .skylakeX)
    #expect(note == "OPENBLAS_CORETYPE=SapphireRapids is not a kernel m2ae can check against this CPU; using SkylakeX")
}

@Test func runnableRequestIsKeptAndUnsetMeansBest() {
    #expect(BLASKernels.decide(requested: "HASWELL", features: avx512CPU) == (.haswell, nil))
    #expect(BLASKernels.decide(requested: nil, features: avx512CPU) == (.skylakeX, nil))
    #expect(BLASKernels.decide(requested: "", features: avx2CPU) == (.haswell, nil))
}

@Test func featuresOfThisCPUAreConsistent() {
    let f = CPUFeatures.current
    #if arch(x86_64)
    #expect(f.has(UInt32(M2AE_CPU_X86_64) | UInt32(M2AE_CPU_SSE2)), "every x86-64 CPU has SSE2")
    #expect(BLASKernels.runnablePaths.contains(.prescott))
    #endif
    // a feature implies the older ones its kernels build on
    if f.has(BLASKernel.skylakeX.needs) { #expect(f.has(BLASKernel.haswell.needs)) }
    #expect(BLASKernels.report.count == 4)
}

// MARK: - Every kernel path this CPU runs against PyTorch

/// The linear layer and attention (whose short heads run through sgemm) against the PyTorch
/// fixture, once per instruction set the CPU runs: AVX-512, AVX2+FMA, AVX, SSE3.
@Suite(.serialized) struct KernelPathParity {
    @Test(arguments: BLASKernels.runnablePaths)
    func layersMatchPyTorch(_ kernel: BLASKernel) throws {
        guard let fx = try LayerFixture.load() else { return }
        try BLASKernels.withKernel(kernel) {
            #expect(BLASKernel.inUse == kernel.name)
            for prefix in ["matmul", "matmul_model"] { checkLinear(fx, prefix, kernel) }
            checkAttention(fx, kernel)
        }
    }

    private func checkLinear(_ fx: LayerFixture, _ prefix: String, _ kernel: BLASKernel) {
        let shape = fx.shape("\(prefix)/weight")
        let OC = shape[0], C = shape[1], N = fx.shape("\(prefix)/inp")[0]
        let inp = FloatBuffer(fx.floats("\(prefix)/inp")), w = FloatBuffer(fx.floats("\(prefix)/weight"))
        let bias = FloatBuffer(fx.floats("\(prefix)/bias"))
        let out = FloatBuffer(zeros: N * OC)
        matmulForward(out: out.ptr, inp: inp.p, weight: w.p, bias: bias.p, N: N, C: C, OC: OC)
        checkTensor(out.values, fx.floats("\(prefix)/out"), tol: 1e-4, "\(prefix) out (\(kernel))")
        let dinp = FloatBuffer(zeros: N * C), dw = FloatBuffer(zeros: OC * C), db = FloatBuffer(zeros: OC)
        let dout = FloatBuffer(fx.floats("\(prefix)/dout"))
        matmulBackward(dinp: dinp.ptr, dweight: dw.ptr, dbias: db.ptr, dout: dout.p, inp: inp.p, weight: w.p, N: N, C: C, OC: OC)
        checkTensor(dinp.values, fx.floats("\(prefix)/dinp"), tol: 1e-3, relative: true, "\(prefix) dinp (\(kernel))")
        checkTensor(dw.values, fx.floats("\(prefix)/dweight"), tol: 1e-3, relative: true, "\(prefix) dweight (\(kernel))")
        checkTensor(db.values, fx.floats("\(prefix)/dbias"), tol: 1e-3, relative: true, "\(prefix) dbias (\(kernel))")
    }

    private func checkAttention(_ fx: LayerFixture, _ kernel: BLASKernel) {
        let sizes = fx.ints("attention/sizes")
        let B = Int(sizes[0]), C = Int(sizes[1]), NH = Int(sizes[2])
        let offsets = fx.ints("attention/offsets")
        let N = Int(offsets[B])
        let o = IndexBuffer(offsets), qkv = FloatBuffer(fx.floats("attention/qkv"))
        let out = FloatBuffer(zeros: N * C), prob = FloatBuffer(zeros: attentionProbCount(offsets: o.p, B: B, NH: NH))
        attentionForward(out: out.ptr, prob: prob.ptr, qkv: qkv.p, offsets: o.p, B: B, C: C, NH: NH)
        checkTensor(out.values, fx.floats("attention/out"), tol: 1e-5, "attention out (\(kernel))")
        let dqkv = FloatBuffer(zeros: N * 3 * C), dout = FloatBuffer(fx.floats("attention/dout"))
        let scratch = FloatBuffer(repeating: .nan, count: attentionScratchCount(offsets: o.p, B: B))
        attentionBackward(dqkv: dqkv.ptr, scratch: scratch.ptr, dout: dout.p, qkv: qkv.p, prob: prob.p,
                          offsets: o.p, B: B, C: C, NH: NH)
        checkTensor(dqkv.values, fx.floats("attention/dqkv"), tol: 1e-3, relative: true, "attention dqkv (\(kernel))")
    }
}

@Test func aKernelTheCPUCannotRunIsRefused() {
    let missing = BLASKernel.ranked.filter { !$0.runs(on: .current) }
    for kernel in missing {
        #expect(throws: BLASKernelError.self) { try BLASKernels.withKernel(kernel) {} }
    }
}
