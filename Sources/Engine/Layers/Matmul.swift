import COpenBLAS

// Size letters used by every layer in this folder:
//   N   packed tokens of all sequences in a batch (rows of every token-wise buffer)
//   B   sequences (segments) in a batch; `offsets` (B+1) holds the prefix sums of their lengths
//   C   channels (model width); OC output channels of a linear layer; NH heads, hs = C / NH
// Every function takes outputs first, then inputs, then weights, then sizes. Backward
// functions only accumulate (+=) into gradient buffers; zeroing is the caller's job.

// MARK: - The engine's BLAS entry point

/// Row-major single-precision matrix product `C = alpha·op(A)·op(B) + beta·C`.
///
/// The engine's one call of `cblas_sgemm`: every matrix product of the engine (linear layers,
/// attention, InfoNCE) goes through it. The analytics call BLAS and LAPACK through their own
/// wrappers (`Analytics/_Linear.swift`: sgemm, dgemm, dposv, dsyevd, and `IVFIndex`'s
/// `cblas_sgemv`), all inside `withBLAS`. The first call chooses OpenBLAS's kernels from the
/// CPU's features (`BLASKernels`); each call waits while a test or benchmark switches them.
/// - Parameters:
///   - transA: `op(A) = Aᵀ` when true; A is then stored (K, M), else (M, K).
///   - transB: `op(B) = Bᵀ` when true; B is then stored (N, K), else (K, N).
///   - M: rows of op(A) and C.  - N: columns of op(B) and C.  - K: the shared dimension.
///   - lda/ldb/ldc: row strides (in floats) of A, B and C as stored.
///   - beta: 0 overwrites C (its old contents are ignored, even NaN), 1 accumulates.
public func sgemm(transA: Bool, transB: Bool, M: Int, N: Int, K: Int, alpha: Float,
                  A: UnsafePointer<Float>, lda: Int,
                  B: UnsafePointer<Float>, ldb: Int,
                  beta: Float, C: UnsafeMutablePointer<Float>, ldc: Int) {
    if M == 0 || N == 0 { return }
    if K == 0 {
        // BLAS leaves C untouched for K = 0 only when beta = 1; make beta's meaning explicit.
        for i in 0..<M {
            let c_i = C + i &* ldc
            for j in 0..<N { c_i[j] = beta == 0 ? 0 : beta * c_i[j] }
        }
        return
    }
    withBLAS {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(M), Int32(N), Int32(K), alpha, A, Int32(lda), B, Int32(ldb), beta, C, Int32(ldc))
    }
}

// MARK: - Linear layer

/// Linear layer forward: `out = inp · weightᵀ + bias` (PyTorch `nn.Linear`, weight is [out, in]).
/// - Parameters:
///   - out: (N, OC) result, overwritten.
///   - inp: (N, C) input rows.
///   - weight: (OC, C).
///   - bias: (OC), or nil for a layer without bias.
public func matmulForward(out: UnsafeMutablePointer<Float>,    // (N, OC)
                          inp: UnsafePointer<Float>,           // (N, C)
                          weight: UnsafePointer<Float>,        // (OC, C)
                          bias: UnsafePointer<Float>?,         // (OC)
                          N: Int, C: Int, OC: Int) {
    if let bias {
        for n in 0..<N { (out + n &* OC).update(from: bias, count: OC) }
    }
    sgemm(transA: false, transB: true, M: N, N: OC, K: C, alpha: 1,
          A: inp, lda: C, B: weight, ldb: C, beta: bias == nil ? 0 : 1, C: out, ldc: OC)
}

/// Linear layer backward: accumulates the gradients of input, weight and bias.
/// - Parameters:
///   - dinp: (N, C) input gradient (+=), or nil when the input needs none (raw patches).
///   - dweight: (OC, C) weight gradient (+=).
///   - dbias: (OC) bias gradient (+=), or nil for a layer without bias.
///   - dout: (N, OC) upstream gradient.
///   - inp: (N, C) the forward input.  - weight: (OC, C).
public func matmulBackward(dinp: UnsafeMutablePointer<Float>?,   // (N, C)
                           dweight: UnsafeMutablePointer<Float>, // (OC, C)
                           dbias: UnsafeMutablePointer<Float>?,  // (OC)
                           dout: UnsafePointer<Float>,           // (N, OC)
                           inp: UnsafePointer<Float>,            // (N, C)
                           weight: UnsafePointer<Float>,         // (OC, C)
                           N: Int, C: Int, OC: Int) {
    // in the forward pass this was: out = inp · weightᵀ + bias
    if let dinp {
        // dinp += dout · weight
        sgemm(transA: false, transB: false, M: N, N: C, K: OC, alpha: 1,
              A: dout, lda: OC, B: weight, ldb: C, beta: 1, C: dinp, ldc: C)
    }
    // dweight += doutᵀ · inp
    sgemm(transA: true, transB: false, M: OC, N: C, K: N, alpha: 1,
          A: dout, lda: OC, B: inp, ldb: C, beta: 1, C: dweight, ldc: C)
    if let dbias {
        for n in 0..<N {
            let dout_n = dout + n &* OC
            for o in 0..<OC { dbias[o] += dout_n[o] }
        }
    }
}

// MARK: - BLAS build

/// OpenBLAS's own description of its build (core type, threading), for `m2ae` diagnostics.
public func blasConfiguration() -> String { String(cString: openblas_get_config()) }

/// Sets how many threads OpenBLAS may use for one `sgemm` (1 keeps every product on the
/// calling thread, as benchmarks timed by thread CPU time need).
public func setBLASThreads(_ count: Int) { openblas_set_num_threads(Int32(max(count, 1))) }

/// How many threads OpenBLAS may use for one `sgemm` now.
public func blasThreads() -> Int { Int(openblas_get_num_threads()) }

/// Runs `body` with OpenBLAS on one thread per call, for callers that spread their own work
/// over threads (OpenBLAS's thread count is one setting for the whole process).
///
/// Sections may overlap, on any threads: the first to enter saves the count and sets 1, the
/// last to leave restores it, so two overlapping sections never leave the process on the
/// other's setting (saving and restoring per section did: A saves 2, B saves A's 1, A restores
/// 2, B restores 1). Products computed on other threads while a section is open run on one
/// thread too, and OpenBLAS's results differ in the last bits between one and two threads
/// (docs/engine.md, "Reproducibility"). O(1) besides `body`.
public func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
    try SingleThreadedSections.blas.run(body)
}

/// Overlapping sections that need a process-wide thread count at 1, counted: the count is
/// saved by the first section to enter and restored by the last to leave.
final class SingleThreadedSections: @unchecked Sendable {
    static let blas = SingleThreadedSections(get: blasThreads, set: setBLASThreads)

    private let get: () -> Int
    private let set: (Int) -> Void
    private var open = 0
    private var saved = 1
    private let mutex = ReadWriteLock()

    /// - Parameters: get, set: read and write the process-wide count.
    init(get: @escaping () -> Int, set: @escaping (Int) -> Void) {
        self.get = get; self.set = set
    }

    func run<T>(_ body: () throws -> T) rethrows -> T {
        mutex.write {
            if open == 0 { saved = get(); set(1) }
            open += 1
        }
        defer {
            mutex.write {
                open -= 1
                if open == 0 { set(saved) }
            }
        }
        return try body()
    }
}
