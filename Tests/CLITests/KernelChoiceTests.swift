import Foundation
import Testing
import TestSupport

#if arch(x86_64)
/// What `m2ae` says about its BLAS kernels when `OPENBLAS_CORETYPE` asks for the impossible
/// (x86-64 only: elsewhere OpenBLAS has one kernel table).
@Suite("BLAS kernel choice")
struct KernelChoiceTests {
    /// Features of an AVX2 machine without AVX-512 (`M2AE_CPU_FEATURES` hides the others).
    static let avx2Only = "sse2,sse3,ssse3,sse4.1,sse4.2,avx,fma,avx2"

    @Test("OPENBLAS_CORETYPE naming AVX-512 kernels on an AVX2 CPU: one line, the AVX2 kernels, no SIGILL")
    func avx512KernelsOnAnAVX2CPU() throws {
        let r = try CommandRunner.run(["--version"], environment: ["OPENBLAS_CORETYPE": "SkylakeX", "M2AE_CPU_FEATURES": Self.avx2Only])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr == "m2ae: OPENBLAS_CORETYPE=SkylakeX names kernels this CPU cannot run (it lacks avx512f, avx512dq, avx512cd, avx512bw, avx512vl); using Haswell\n", "\(r)")
        #expect(r.stdout.contains("blas: OpenBLAS Haswell kernels (the best this CPU runs)"), "\(r)")
    }

    @Test("an OPENBLAS_CORETYPE m2ae cannot judge: one line, the best kernels")
    func unknownCoreType() throws {
        let r = try CommandRunner.run(["--version"], environment: ["OPENBLAS_CORETYPE": "Bogus"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.hasPrefix("m2ae: OPENBLAS_CORETYPE=Bogus is not a kernel m2ae can check against this CPU; using "), "\(r)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
    }

    @Test("embed warns once when OPENBLAS_CORETYPE holds the engine below the CPU's best")
    func embedWarnsBelowBest() throws {
        let r = try CommandRunner.run(["embed", "/nonexistent/store.h5", "--model", "/nonexistent/model.safetensors"],
                                      environment: ["OPENBLAS_CORETYPE": "Prescott"])
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: the engine runs OpenBLAS's Prescott kernels") }
        #expect(warnings.count == 1, "\(r)")
    }
}
#endif
