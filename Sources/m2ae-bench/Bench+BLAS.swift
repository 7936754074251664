import ArgumentParser
import Engine
import Foundation

extension M2AEBench {
    /// `m2ae-bench blas`: single-thread sgemm GFLOP/s of every OpenBLAS kernel table this CPU
    /// runs, on the model's shapes and 1024³, in one process (the tables take turns).
    struct BLAS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blas",
            abstract: "sgemm GFLOP/s of each OpenBLAS kernel table this CPU runs, on the model's shapes and 1024³.",
            discussion: """
            One thread. Each round times every shape with every kernel table in turn (so that all \
            tables see the same machine); a cell is the median over the rounds of the median of \
            --repeats timed calls, by thread CPU time (robust on a shared machine). The shapes are \
            those of the small model at batch 64 (N = 6400 encoder tokens; the bottleneck's 4T \
            rows per segment give 25600) and at batch 1, with the weight transposed as nn.Linear \
            stores it.
            """
        )

        @Option(help: "Rounds over all kernel tables (the median is reported).")
        var rounds: Int = 3
        @Option(help: "Timed calls per shape per round.")
        var repeats: Int = 5
        @Option(help: "Comma-separated kernel tables (default: every one this CPU runs).")
        var kernels: String?

        func validate() throws {
            guard rounds >= 1, repeats >= 1 else { throw ValidationError("--rounds and --repeats must be at least 1") }
        }

        /// (label, M, N, K) of C = A·Bᵀ.
        static let shapes: [(String, Int, Int, Int)] = [
            ("1024³", 1024, 1024, 1024),
            ("qkv 6400×384×128", 6400, 384, 128),
            ("proj 6400×128×128", 6400, 128, 128),
            ("fc1 6400×512×128", 6400, 512, 128),
            ("fc2 6400×128×512", 6400, 128, 512),
            ("qkv 25600×384×128", 25600, 384, 128),
            ("patch 3200×128×25", 3200, 128, 25),
            ("qkv 100×384×128", 100, 384, 128),
            ("fc1 100×512×128", 100, 512, 128),
        ]

        func run() throws {
            setBLASThreads(1)
            let chosen: [BLASKernel]
            if let kernels {
                chosen = try kernels.split(separator: ",").map { name in
                    guard let k = BLASKernel.named(String(name)) else { throw BenchError("--kernels: \(name) is not a kernel table m2ae knows") }
                    guard k.runs(on: .current) else { throw BenchError("--kernels: this CPU cannot run \(k.name)") }
                    return k
                }
            } else {
                chosen = BLASKernel.ranked.filter { $0.runs(on: .current) }
            }
            var cells: [String: [Double]] = [:]
            for _ in 0..<rounds {
                for kernel in chosen {
                    try BLASKernels.withKernel(kernel) {
                        for (label, M, N, K) in Self.shapes {
                            let a = [Float](repeating: 0.5, count: M * K), b = [Float](repeating: 0.25, count: N * K)
                            var c = [Float](repeating: 0, count: M * N)
                            let t = BenchTiming.median(BenchTiming.measure(repeats: repeats, clock: .threadCPU) {
                                sgemm(transA: false, transB: true, M: M, N: N, K: K, alpha: 1, A: a, lda: K, B: b, ldb: K, beta: 0, C: &c, ldc: N)
                            })
                            cells["\(kernel.name) \(label)", default: []].append(2 * Double(M * N * K) / t / 1e9)
                        }
                    }
                }
            }
            print("m2ae-bench blas — sgemm GFLOP/s, 1 thread, thread CPU time, median of \(rounds) rounds × \(repeats) calls")
            BenchTiming.machineLines.forEach { print($0) }
            let widths = [20] + chosen.map { max($0.name.count, 7) }
            print(BenchTiming.row(["shape"] + chosen.map(\.name), widths))
            print(String(repeating: "-", count: widths.reduce(0, +) + 3 * (widths.count - 1)))
            for (label, _, _, _) in Self.shapes {
                let row = chosen.map { String(format: "%.1f", BenchTiming.median(cells["\($0.name) \(label)"]!)) }
                print(BenchTiming.row([label] + row, widths))
            }
        }
    }
}
