import ArgumentParser
import COpenBLAS
import Engine
import Foundation
import Model
import Pipelines
import Support

extension M2AEBench {
    /// `m2ae-bench engine`: fingerprint throughput of the Swift engine against PyTorch
    /// (eager, torch.compile, ONNX Runtime) on the same weights, inputs and thread count, and
    /// the engine's achieved GFLOP/s as a fraction of cblas_sgemm's.
    struct Engine: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "engine",
            abstract: "Fingerprints per second: Swift engine vs PyTorch (eager, compile, ONNX Runtime).",
            discussion: """
            One unit of work is one segment embedded in all three fingerprint modes (what \
            'm2ae embed' does). With several threads the Swift engine runs as 'm2ae embed' does: \
            one share of the batch per thread, single-threaded BLAS in each (one segment: its \
            encoders, then its bottleneck sequences, side by side). Prints medians of --repeats timed runs after one warm-up. \
            With --rounds R the Swift and PyTorch measurements alternate R times, so that both \
            sides see the same machine: the table shows the median of the R rounds, and \
            swift/eager is the median of the R per-round ratios, with their range.
            """
        )

        @Option(help: "Model config: small or tiny.")
        var config: String = "small"
        @Option(help: "Comma-separated batch sizes.")
        var batches: String = "1,16,256"
        @Option(help: "Timed runs per measurement (the median is reported).")
        var repeats: Int = 5
        @Option(help: "Rounds of Swift-then-PyTorch measurements (medians over rounds are reported).")
        var rounds: Int = 1
        @Option(help: "Threads for the Swift engine and for PyTorch/ONNX Runtime (default: all cores).")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount
        @Flag(help: "Skip the PyTorch side.")
        var noTorch = false
        /// What a measurement times.
        enum Clock: String, ExpressibleByArgument, CaseIterable { case wall, cpu }
        @Option(help: "wall: elapsed time; cpu: CPU time of the whole process (all threads), robust on a shared machine.")
        var clock: Clock = .wall
        @Option(help: "Seconds torch.compile may take to compile before its row reads n/a.")
        var compileTimeout: Int = 300
        @Option(help: "The PyTorch benchmark script.")
        var torchScript: String = "reference/bench_torch.py"

        func validate() throws {
            guard M2AEConfig.preset(config) != nil else { throw ValidationError("--config must be small or tiny") }
            guard repeats >= 1, threads >= 1, rounds >= 1 else { throw ValidationError("--repeats, --rounds and --threads must be at least 1") }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 && $0 <= 4096 }) else {
                throw ValidationError("--batches must be a comma-separated list of sizes in 1...4096")
            }
        }

        var sizes: [Int] { batches.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

        func run() throws {
            openblas_set_num_threads(Int32(threads))
            let cfg = M2AEConfig.preset(config)!
            let model = try M2AEModel.random(config: cfg, seed: 0)
            let maxB = sizes.max()!, S = cfg.segmentSamples
            var rng = SplitMix64(state: 1)
            let ecg = Self.segments(maxB, S, &rng), ppg = Self.segments(maxB, S, &rng)

            // PyTorch reads the same weights and inputs from files.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-bench-\(getpid())")
            let ckpt = dir.appendingPathComponent("model.safetensors"), inputs = dir.appendingPathComponent("inputs.safetensors")
            if !noTorch {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try model.save(to: ckpt)
                try ecg.withUnsafeBufferPointer { e in
                    try ppg.withUnsafeBufferPointer { p in
                        try SafetensorsFile.write(to: inputs, tensors: [.init(name: "ecg", shape: [maxB, S], values: e),
                                                                        .init(name: "ppg", shape: [maxB, S], values: p)], metadata: [:])
                    }
                }
            }
            defer { if !noTorch { try? FileManager.default.removeItem(at: dir) } }

            // Rounds: the Swift engine on every batch size, then PyTorch on every batch size.
            var swiftRounds: [Int: [Double]] = [:]
            var torchRounds: [String: [Int: [Double]]] = [:]
            // swift/eager per round where eager ran, as seconds(eager) / seconds(swift) of that round
            var ratios: [Int: [Double]] = Dictionary(uniqueKeysWithValues: sizes.map { ($0, []) })
            var notes: [String] = []
            for round in 0..<rounds {
                for B in sizes {
                    // What `m2ae embed --threads N` runs: one share of the batch per thread.
                    let workers = FingerprintWorkers(model: model, threads: threads, maxSegments: B)
                    let present = Array(repeating: (ecg: true, ppg: true), count: B)
                    swiftRounds[B, default: []].append(try Self.median(repeats, clock) {
                        _ = try workers.fingerprints(ecg: ecg, ppg: ppg, present: present)
                    })
                }
                guard !noTorch else { continue }
                let (torch, roundNotes) = try Self.runTorch(script: torchScript, checkpoint: ckpt, inputs: inputs,
                                                            batches: batches, threads: threads, repeats: repeats,
                                                            compileTimeout: compileTimeout, clock: clock)
                for (backend, times) in torch {
                    for (B, t) in times { torchRounds[backend, default: [:]][B, default: []].append(t) }
                }
                for B in sizes {
                    if let eager = torch["torch eager"]?[B] { ratios[B]!.append(eager / swiftRounds[B]!.last!) }
                }
                if round == 0 { notes = roundNotes }
            }
            let peak = Self.sgemmPeak(repeats: repeats, clock)
            let swift = swiftRounds.mapValues(BenchTiming.median)
            let torch = torchRounds.mapValues { $0.mapValues(BenchTiming.median) }

            // Table.
            let flops = Self.flopsPerSegment(cfg)
            let rounded = rounds > 1 ? ", median of \(rounds) alternating rounds" : ""
            print("m2ae-bench engine — config \(cfg.name), \(threads) thread(s), median of \(repeats) runs (\(clock.rawValue) clock)\(rounded), unit = 1 segment × 3 fingerprint modes")
            BenchTiming.machineLines.forEach { print($0) }
            print(String(format: "sgemm 1024³ with the best kernels this CPU runs (%@): %.1f GFLOP/s; model: %.1f MFLOP per segment",
                         BLASKernels.select().best?.name ?? BLASKernel.inUse, peak, flops / 1e6))
            let backends = ["torch eager", "torch.compile", "onnxruntime"]
            var header = "batch | swift seg/s"
            for b in backends { header += " | \(b) seg/s" }
            header += " | swift/eager" + (rounds > 1 ? " |  round range" : "") + " | swift GFLOP/s | % of sgemm"
            print(header)
            print(String(repeating: "-", count: header.count))
            for B in sizes {
                let s = Double(B) / swift[B]!
                var row = String(format: "%5d | %11.1f", B, s)
                for b in backends {
                    let cell = torch[b]?[B].map { String(format: "%.1f", Double(B) / $0) } ?? "n/a"
                    row += " | " + BenchTiming.pad(cell, b.count + 6, right: true)
                }
                let perRound = ratios[B]!
                let eager = perRound.isEmpty ? "n/a" : String(format: "%.2f×", BenchTiming.median(perRound))
                row += " | " + BenchTiming.pad(eager, 11, right: true)
                if rounds > 1 {
                    let range = perRound.isEmpty ? "n/a" : String(format: "%.2f–%.2f×", perRound.min()!, perRound.max()!)
                    row += " | " + BenchTiming.pad(range, 12, right: true)
                }
                let gflops = flops * s / 1e9
                row += String(format: " | %13.1f | %9.1f%%", gflops, 100 * gflops / peak)
                print(row)
            }
            for n in notes { print("note: \(n)") }
        }

        // MARK: - Helpers

        /// (B, S) z-scored random segments (sums of sines plus noise).
        static func segments(_ B: Int, _ S: Int, _ rng: inout SplitMix64) -> [Float] {
            var x = [Float](repeating: 0, count: B * S)
            for b in 0..<B {
                let f1 = Float.random(in: 0.8...2.5, using: &rng), f2 = Float.random(in: 3...8, using: &rng)
                var row = (0..<S).map { t in sin(6.2832 * f1 * Float(t) / 125) + 0.4 * sin(6.2832 * f2 * Float(t) / 125) + 0.2 * rng.nextGaussian() }
                let mean = row.reduce(0, +) / Float(S)
                let sd = (row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(S)).squareRoot()
                row = row.map { ($0 - mean) / sd }
                x.replaceSubrange((b * S)..<((b + 1) * S), with: row)
            }
            return x
        }

        /// Median seconds on `clock` (wall: monotonic; cpu: this process's CPU time, all
        /// threads) of `repeats` runs of `body` after one warm-up run.
        static func median(_ repeats: Int, _ clock: Clock, _ body: () throws -> Void) rethrows -> Double {
            try BenchTiming.median(BenchTiming.measure(repeats: repeats, clock: clock == .cpu ? .processCPU : .wall, body))
        }

        /// GFLOP/s of a 1024³ sgemm through the engine's BLAS entry point with the best kernels
        /// this CPU runs (whatever `OPENBLAS_CORETYPE` holds the engine to).
        static func sgemmPeak(repeats: Int, _ clock: Clock) -> Double {
            let n = 1024
            let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
            var c = [Float](repeating: 0, count: n * n)
            let run = {
                median(repeats, clock) {
                    sgemm(transA: false, transB: true, M: n, N: n, K: n, alpha: 1, A: a, lda: n, B: b, ldb: n, beta: 0, C: &c, ldc: n)
                }
            }
            let t = BLASKernels.select().best.flatMap { try? BLASKernels.withKernel($0, run) } ?? run()
            return 2 * Double(n * n * n) / t / 1e9
        }

        /// Floating-point operations of `fingerprintsAllModes` per segment: 2·N·C·OC per linear
        /// layer, 4·L²·C per attention (scores and weighted sum), over both encoders (T tokens
        /// each) and the bottleneck's three sequences (2T, T, T tokens).
        static func flopsPerSegment(_ c: M2AEConfig) -> Double {
            let T = Double(c.numPatches), d = Double(c.dModel), H = Double(c.mlpRatio * c.dModel)
            let P = Double(c.patchSize), f = Double(c.fingerprintDim)
            func linear(_ n: Double) -> Double { 2 * n * (3 * d * d + d * d + 2 * d * H) }
            let encoder = 2 * T * P * d + Double(c.encoderLayers) * (linear(T) + 4 * T * T * d)
            let bottleneck = Double(c.sharedLayers) * (linear(4 * T) + 4 * d * (4 * T * T + T * T + T * T)) + 2 * 4 * T * d * f
            return 2 * encoder + bottleneck
        }

        /// Runs the PyTorch script; returns backend → batch → median seconds, plus notes for
        /// backends that failed.
        static func runTorch(script: String, checkpoint: URL, inputs: URL, batches: String, threads: Int,
                             repeats: Int, compileTimeout: Int, clock: Clock) throws -> ([String: [Int: Double]], [String]) {
            let (data, status) = try M2AEBench.runPython(
                [script, "--checkpoint", checkpoint.path, "--inputs", inputs.path, "--batches", batches, "--threads", String(threads),
                 "--repeats", String(repeats), "--compile-timeout", String(compileTimeout), "--clock", clock.rawValue],
                environment: ["OMP_NUM_THREADS": String(threads)])
            var result: [String: [Int: Double]] = [:]
            var notes: [String] = []
            if status != 0 { notes.append("\(script) exited \(status)") }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let backend = obj["backend"] as? String, let batch = obj["batch"] as? Int else { continue }
                if let s = obj["median_s"] as? Double { result[backend, default: [:]][batch] = s }
                if let e = obj["error"] as? String { notes.append("\(backend): \(e)") }
            }
            return (result, notes)
        }
    }
}
