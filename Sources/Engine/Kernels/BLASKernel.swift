import CCPU
import COpenBLAS
import Foundation

// MARK: - What the CPU can run

/// The instruction-set extensions this CPU has and the operating system enables (CPUID and
/// XCR0), the facts every kernel choice of the engine is made from.
public struct CPUFeatures: Sendable, Equatable {
    /// `M2AE_CPU_*` bits (Sources/CCPU/include/ccpu.h).
    public let bits: UInt32

    /// The features of the CPU this process runs on. `M2AE_CPU_FEATURES` (comma-separated
    /// names, e.g. `sse2,sse3,avx,fma,avx2`) keeps only the features it names, to try what a
    /// CPU without the others would run; it never adds one.
    public static let current: CPUFeatures = {
        let detected = CPUFeatures(bits: m2ae_cpu_features())
        guard let only = ProcessInfo.processInfo.environment["M2AE_CPU_FEATURES"] else { return detected }
        let keep = Set(only.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let mask = nameTable.filter { keep.contains($0.name) }.reduce(UInt32(M2AE_CPU_X86_64)) { $0 | $1.bit }
        return CPUFeatures(bits: detected.bits & mask)
    }()

    /// Wraps raw `M2AE_CPU_*` bits.
    public init(bits: UInt32) { self.bits = bits }

    /// True when every bit of `mask` is present.
    public func has(_ mask: UInt32) -> Bool { bits & mask == mask }

    /// The feature names, lowest first (`sse2 … avx512bf16`).
    public var names: [String] {
        Self.nameTable.filter { has($0.bit) }.map(\.name)
    }

    /// One line: the widest vector extension, then every name (`AVX-512: sse2 sse3 … avx512bf16`).
    public var summary: String {
        guard has(UInt32(M2AE_CPU_X86_64)) else { return "not x86-64 (no CPUID features)" }
        let widest = has(BLASKernel.skylakeX.needs) ? "AVX-512" : has(BLASKernel.haswell.needs) ? "AVX2+FMA"
            : has(BLASKernel.sandybridge.needs) ? "AVX" : "SSE"
        return "\(widest): " + names.joined(separator: " ")
    }

    /// The CPU's brand string (`AMD EPYC …`, `Intel(R) Xeon(R) …`), or "unknown CPU".
    public static let brand: String = {
        var buffer = [CChar](repeating: 0, count: 49)
        m2ae_cpu_brand(&buffer)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "unknown CPU" : text
    }()

    private static let nameTable: [(bit: UInt32, name: String)] = [
        (M2AE_CPU_SSE2, "sse2"), (M2AE_CPU_SSE3, "sse3"), (M2AE_CPU_SSSE3, "ssse3"), (M2AE_CPU_SSE41, "sse4.1"),
        (M2AE_CPU_SSE42, "sse4.2"), (M2AE_CPU_AVX, "avx"), (M2AE_CPU_FMA, "fma"), (M2AE_CPU_FMA4, "fma4"),
        (M2AE_CPU_AVX2, "avx2"), (M2AE_CPU_AVX512F, "avx512f"), (M2AE_CPU_AVX512DQ, "avx512dq"),
        (M2AE_CPU_AVX512CD, "avx512cd"), (M2AE_CPU_AVX512BW, "avx512bw"), (M2AE_CPU_AVX512VL, "avx512vl"),
        (M2AE_CPU_AVX512VNNI, "avx512vnni"), (M2AE_CPU_AVX512BF16, "avx512bf16"),
    ].map { (UInt32($0.0), $0.1) }
}

// MARK: - OpenBLAS's kernel tables

/// One of OpenBLAS's kernel tables, by its `OPENBLAS_CORETYPE` name, and the instructions its
/// kernels use.
public struct BLASKernel: Sendable, Hashable, CustomStringConvertible {
    /// OpenBLAS's spelling (`SkylakeX`, `Haswell`, …).
    public let name: String
    /// `M2AE_CPU_*` bits the kernels need.
    public let needs: UInt32

    public var description: String { name }

    /// True when a CPU with `features` can run these kernels.
    public func runs(on features: CPUFeatures) -> Bool { features.has(needs) }

    private static func bits(_ flags: [UInt32]) -> UInt32 {
        flags.reduce(UInt32(M2AE_CPU_X86_64)) { $0 | UInt32($1) }
    }
    private static let avx2: [UInt32] = [M2AE_CPU_SSE2, M2AE_CPU_SSE3, M2AE_CPU_SSSE3, M2AE_CPU_SSE41,
                                                   M2AE_CPU_SSE42, M2AE_CPU_AVX, M2AE_CPU_FMA, M2AE_CPU_AVX2]
    private static let avx512: [UInt32] = avx2 + [M2AE_CPU_AVX512F, M2AE_CPU_AVX512DQ, M2AE_CPU_AVX512CD,
                                                           M2AE_CPU_AVX512BW, M2AE_CPU_AVX512VL]

    /// AVX-512 kernels (Skylake-SP and later, AMD Zen 4 and later).
    public static let skylakeX = BLASKernel(name: "SkylakeX", needs: bits(avx512))
    /// SkylakeX plus AVX-512 BF16 (used by OpenBLAS's bfloat16 routines only).
    public static let cooperlake = BLASKernel(name: "Cooperlake", needs: bits(avx512 + [M2AE_CPU_AVX512BF16]))
    /// AVX2 and FMA kernels.
    public static let haswell = BLASKernel(name: "Haswell", needs: bits(avx2))
    /// The Haswell kernels with blocking tuned for AMD Zen.
    public static let zen = BLASKernel(name: "Zen", needs: bits(avx2))
    /// AVX kernels without FMA.
    public static let sandybridge = BLASKernel(name: "Sandybridge", needs: bits([M2AE_CPU_SSE2, M2AE_CPU_SSE3, M2AE_CPU_SSSE3,
                                                                                 M2AE_CPU_SSE41, M2AE_CPU_SSE42, M2AE_CPU_AVX]))
    /// SSE4.2 kernels.
    public static let nehalem = BLASKernel(name: "Nehalem", needs: bits([M2AE_CPU_SSE2, M2AE_CPU_SSE3, M2AE_CPU_SSSE3,
                                                                         M2AE_CPU_SSE41, M2AE_CPU_SSE42]))
    /// SSSE3 kernels.
    public static let core2 = BLASKernel(name: "Core2", needs: bits([M2AE_CPU_SSE2, M2AE_CPU_SSE3, M2AE_CPU_SSSE3]))
    /// SSE3 kernels: what Debian's OpenBLAS 0.3.21 falls back to on a CPU model it does not
    /// know, and the oldest table its DYNAMIC_ARCH build carries for x86-64.
    public static let prescott = BLASKernel(name: "Prescott", needs: bits([M2AE_CPU_SSE2, M2AE_CPU_SSE3]))

    /// Every table m2ae can judge, best first: the first one a CPU runs is the one the engine uses.
    /// SkylakeX ranks above Cooperlake because their sgemm kernels are the same and SkylakeX
    /// measured as fast or faster (docs/engine.md); Zen's blocking is for older, AVX2-only Zen.
    public static let ranked: [BLASKernel] = [skylakeX, cooperlake, haswell, zen, sandybridge, nehalem, core2, prescott]

    /// One table per instruction set (AVX-512, AVX2+FMA, AVX, SSE3), the paths the parity tests
    /// run on every CPU that has them.
    public static let paths: [BLASKernel] = [skylakeX, haswell, sandybridge, prescott]

    /// The table named `name` (case-insensitive, as OpenBLAS reads `OPENBLAS_CORETYPE`), or nil
    /// for a name m2ae cannot judge.
    public static func named(_ name: String) -> BLASKernel? {
        ranked.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The best table for a CPU with `features`; nil for a CPU without SSE3 (or not x86-64),
    /// where OpenBLAS's own choice stands.
    public static func best(for features: CPUFeatures) -> BLASKernel? {
        ranked.first { $0.runs(on: features) }
    }

    /// The kernel table OpenBLAS uses now, by OpenBLAS's own name for it.
    public static var inUse: String { String(cString: openblas_get_corename()) }
}

// MARK: - The process's choice

/// Chooses OpenBLAS's kernel table from the CPU's features before the engine's first matrix
/// product, and switches it when tests or benchmarks ask.
///
/// Choice: `OPENBLAS_CORETYPE`, when set to a table this CPU runs, is kept (a user's explicit
/// choice, warned about by `warnIfBelowBest` when slower than the best); set to a table the CPU
/// cannot run, or to a name m2ae cannot judge, it is replaced by the best one, with one line
/// on standard error; unset, the best table for the CPU is used whatever OpenBLAS's table of
/// CPU models picked.
public enum BLASKernels {
    /// The outcome of the choice made at start-up.
    public struct Choice: Sendable {
        /// The table chosen (nil when OpenBLAS's table cannot be switched: a build without
        /// DYNAMIC_ARCH, or not x86-64).
        public let kernel: BLASKernel?
        /// The best table for this CPU (nil where OpenBLAS's own choice stands).
        public let best: BLASKernel?
        /// A line for standard error when the choice overrode `OPENBLAS_CORETYPE`.
        public let override: String?
    }

    /// Makes the choice once (idempotent, thread-safe); every engine `sgemm` calls it first.
    @discardableResult
    public static func select() -> Choice { choice }

    private static let choice: Choice = {
        let features = CPUFeatures.current
        let (wanted, note) = decide(requested: ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], features: features)
        guard let target = wanted, m2ae_blas_can_switch() != 0, let table = tables.table(for: target) else {
            return Choice(kernel: nil, best: BLASKernel.best(for: features), override: nil)
        }
        lock.write { m2ae_blas_use(table) }
        if let note { FileHandle.standardError.write(Data("m2ae: \(note)\n".utf8)) }
        return Choice(kernel: target, best: BLASKernel.best(for: features), override: note)
    }()

    /// The table to use on a CPU with `features` when `OPENBLAS_CORETYPE` is `requested`, and
    /// the line to print when the request cannot be honoured.
    public static func decide(requested: String?, features: CPUFeatures) -> (kernel: BLASKernel?, note: String?) {
        guard let best = BLASKernel.best(for: features) else { return (nil, nil) }
        guard let requested, !requested.isEmpty else { return (best, nil) }
        guard let kernel = BLASKernel.named(requested) else {
            return (best, "OPENBLAS_CORETYPE=\(requested) is not a kernel m2ae can check against this CPU; using \(best.name)")
        }
        guard kernel.runs(on: features) else {
            return (best, "OPENBLAS_CORETYPE=\(requested) names kernels this CPU cannot run (it lacks \(missing(kernel, features))); using \(best.name)")
        }
        return (kernel, nil)
    }

    private static func missing(_ kernel: BLASKernel, _ features: CPUFeatures) -> String {
        CPUFeatures(bits: kernel.needs & ~features.bits).names.joined(separator: ", ")
    }

    /// The tables of `BLASKernel.paths` this CPU can run.
    public static var runnablePaths: [BLASKernel] {
        BLASKernel.paths.filter { $0.runs(on: .current) }
    }

    /// Runs `body` with `kernel`'s table in use, then restores the chosen one. Every other
    /// thread's BLAS call (through `sgemm` or `withBLAS`) waits until `body` returns, so none
    /// of them ever runs on a table other than the chosen one; calls from different threads
    /// take turns.
    /// - Throws: `BLASKernelError` when the CPU cannot run `kernel` or OpenBLAS cannot switch.
    public static func withKernel<T>(_ kernel: BLASKernel, _ body: () throws -> T) throws -> T {
        let chosen = select()
        guard kernel.runs(on: CPUFeatures.current) else { throw BLASKernelError(description: "this CPU cannot run the \(kernel.name) kernels") }
        guard let table = tables.table(for: kernel), let back = chosen.kernel.flatMap({ tables.table(for: $0) }) else {
            throw BLASKernelError(description: "this OpenBLAS cannot switch kernels (not a DYNAMIC_ARCH build)")
        }
        return try lock.write {
            m2ae_blas_use(table)
            m2ae_blas_set_exclusive(1)
            defer {
                m2ae_blas_set_exclusive(0)
                m2ae_blas_use(back)
            }
            return try body()
        }
    }

    /// The warning `embed` and `train` print once when the engine runs slower kernels than the
    /// CPU supports; nil when it runs the best.
    public static var belowBest: String? {
        let c = select()
        guard let best = c.best else { return nil }
        if let k = c.kernel {
            guard BLASKernel.ranked.firstIndex(of: k)! > BLASKernel.ranked.firstIndex(of: best)! else { return nil }
            return "the engine runs OpenBLAS's \(k.name) kernels (OPENBLAS_CORETYPE) where this CPU supports \(best.name); unset OPENBLAS_CORETYPE for the faster ones"
        }
        let inUse = BLASKernel.inUse
        if let k = BLASKernel.named(inUse), k == best || !best.runs(on: CPUFeatures(bits: k.needs)) { return nil }
        return "the engine runs OpenBLAS's \(inUse) kernels where this CPU supports \(best.name), and this OpenBLAS cannot switch (it is not a DYNAMIC_ARCH build)"
    }

    /// Prints `belowBest` to standard error, at most once per process.
    public static func warnIfBelowBest() {
        warned.once { if let line = belowBest { FileHandle.standardError.write(Data("warning: \(line)\n".utf8)) } }
    }

    /// Lines for `m2ae --version` and the engine benchmark: the CPU, its features, the BLAS
    /// kernels in use and how the engine's own loops were compiled.
    public static var report: [String] {
        let c = select()
        #if M2AE_NATIVE_CPU
        let loops = "compiled for the building CPU (M2AE_NATIVE=1)"
        #else
        let loops = "compiled for baseline x86-64 (portable build)"
        #endif
        var kernel = "OpenBLAS \(BLASKernel.inUse) kernels"
        if c.kernel == nil { kernel += " (OpenBLAS's own choice: this build cannot switch)" }
        else if c.kernel == c.best { kernel += " (the best this CPU runs)" }
        else { kernel += " (OPENBLAS_CORETYPE; the best this CPU runs is \(c.best?.name ?? "?"))" }
        return ["cpu: \(CPUFeatures.brand)", "cpu features: \(CPUFeatures.current.summary)",
                "blas: \(kernel)", "engine loops: \(loops)"]
    }

    // MARK: Locking

    static let lock = ReadWriteLock()
    private static let warned = Once()
    private static let tables = TableCache()
}

/// Runs `body`, which calls OpenBLAS or its LAPACK directly, with the kernels chosen and no
/// switch in progress: every BLAS call outside the engine's `sgemm` goes through it.
@inline(__always)
public func withBLAS<T>(_ body: () throws -> T) rethrows -> T {
    BLASKernels.select()
    if m2ae_blas_exclusive() != 0 { return try body() }
    return try BLASKernels.lock.read(body)
}

/// A kernel switch that cannot be made.
public struct BLASKernelError: Error, CustomStringConvertible {
    public let description: String
}

/// OpenBLAS's initialised table per kernel, filled on first use of each.
private final class TableCache: @unchecked Sendable {
    private var tables: [String: UnsafeRawPointer] = [:]
    private let mutex = ReadWriteLock()

    func table(for kernel: BLASKernel) -> UnsafeRawPointer? {
        if let t = mutex.read({ tables[kernel.name] }) { return t }
        return BLASKernels.lock.write {
            mutex.write {
                if let t = tables[kernel.name] { return t }
                guard let t = m2ae_blas_table(kernel.name), String(cString: openblasName(t)) == kernel.name else { return nil }
                tables[kernel.name] = t
                return t
            }
        }
    }

    /// OpenBLAS's name for `table`, by making it current for the question (the caller holds
    /// the write lock, so no product runs meanwhile).
    private func openblasName(_ table: UnsafeRawPointer) -> UnsafeMutablePointer<CChar> {
        let before = m2ae_blas_current()
        m2ae_blas_use(table)
        defer { m2ae_blas_use(before) }
        return openblas_get_corename()
    }
}

/// A pthread read-write lock.
final class ReadWriteLock: @unchecked Sendable {
    private let rw: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        rw = .allocate(capacity: 1)
        pthread_rwlock_init(rw, nil)
    }

    deinit {
        pthread_rwlock_destroy(rw)
        rw.deallocate()
    }

    @inline(__always) func read<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(rw); defer { pthread_rwlock_unlock(rw) }
        return try body()
    }

    @inline(__always) func write<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(rw); defer { pthread_rwlock_unlock(rw) }
        return try body()
    }

}

/// Runs a closure at most once.
private final class Once: @unchecked Sendable {
    private var done = false
    private let mutex = ReadWriteLock()

    func once(_ body: () -> Void) {
        mutex.write {
            if done { return }
            done = true
            body()
        }
    }
}
