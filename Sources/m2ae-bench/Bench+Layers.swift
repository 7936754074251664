import ArgumentParser
import Engine
import Foundation

extension M2AEBench {
    /// `m2ae-bench layers`: the engine's layers, forward and backward, at the `small` config's
    /// sizes, against the same layers in PyTorch (CPU, float32, same thread count).
    ///
    /// Times are medians of repeated runs of the calling thread's CPU time
    /// (`CLOCK_THREAD_CPUTIME_ID`) with one thread on both sides, so a busy machine does not
    /// skew the comparison; with `--threads` above 1 they are wall-clock medians instead.
    struct Layers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "layers",
            abstract: "Engine layers (attention, layernorm, GELU, linear, AdamW) vs PyTorch CPU: medians of repeats."
        )

        @Option(help: "Segments per batch (attention runs B sequences per block).")
        var batch: Int = 64
        @Option(help: "Timed repeats (after one warm-up run); the table shows their median.")
        var repeats: Int = 15
        @Option(help: "Threads for OpenBLAS and PyTorch (1 times thread CPU, more times wall clock).")
        var threads: Int = 1
        @Flag(help: "Skip the PyTorch peer (no Python needed).")
        var noPeer = false

        func validate() throws {
            guard batch >= 1, repeats >= 1, threads >= 1 else { throw ValidationError("--batch, --repeats and --threads must be ≥ 1") }
        }

        func run() throws {
            setBLASThreads(threads)
            let rows = measureEngine()
            let peer = noPeer ? [:] : try peerTimes()
            print("m2ae-bench layers: batch \(batch), \(repeats) repeats, \(threads) thread\(threads == 1 ? "" : "s"), "
                  + (threads == 1 ? "thread CPU time" : "wall time") + "; peer: " + (noPeer ? "none" : "PyTorch \(peerVersion())"))
            print(BenchTiming.pad("case", 26) + BenchTiming.pad("shape", 24) + BenchTiming.pad("engine ms", 11, right: true) + BenchTiming.pad("GFLOP/s", 9, right: true)
                  + BenchTiming.pad("torch ms", 10, right: true) + BenchTiming.pad("torch/eng", 10, right: true))
            for row in rows {
                let ms = row.seconds * 1e3
                let gflops = row.flops > 0 ? String(format: "%.2f", row.flops / row.seconds / 1e9) : "—"
                let torch = peer[row.name]
                print(BenchTiming.pad(row.name, 26) + BenchTiming.pad(row.shape, 24) + BenchTiming.pad(String(format: "%.3f", ms), 11, right: true)
                      + BenchTiming.pad(gflops, 9, right: true)
                      + BenchTiming.pad(torch.map { String(format: "%.3f", $0 * 1e3) } ?? "—", 10, right: true)
                      + BenchTiming.pad(torch.map { String(format: "%.2f", $0 / row.seconds) } ?? "—", 10, right: true))
            }
        }

        // MARK: - Engine measurements

        /// One table row: a case name shared with the PyTorch peer, its shape, median seconds
        /// and floating-point operations per run (0 where GFLOP/s means little).
        private struct Row {
            var name: String
            var shape: String
            var seconds: Double
            var flops: Double
        }

        private func measureEngine() -> [Row] {
            var rows: [Row] = []
            for (label, L, C, NH) in [("encoder", 25, 128, 4), ("bottleneck", 50, 128, 4), ("decoder", 100, 64, 2)] {
                let N = batch * L, hs = C / NH
                let offsets = UnsafeMutablePointer<Int32>.allocate(capacity: batch + 1)
                defer { offsets.deallocate() }
                for b in 0...batch { offsets[b] = Int32(b * L) }
                let qkv = Scratch(N * 3 * C), out = Scratch(N * C), dout = Scratch(N * C), dqkv = Scratch(N * 3 * C)
                let prob = Scratch(attentionProbCount(offsets: offsets, B: batch, NH: NH))
                let scratch = Scratch(attentionScratchCount(offsets: offsets, B: batch))
                // q·kᵀ and p·v: 2·L²·hs each per sequence and head; backward does four such products
                let flops = Double(batch * NH) * 4 * Double(L * L * hs)
                let shape = "B=\(batch) L=\(L) C=\(C) NH=\(NH)"
                rows.append(Row(name: "attention \(label) fwd", shape: shape, seconds: median {
                    attentionForward(out: out.p, prob: prob.p, qkv: qkv.p, offsets: offsets, B: batch, C: C, NH: NH)
                }, flops: flops))
                rows.append(Row(name: "attention \(label) bwd", shape: shape, seconds: median {
                    attentionBackward(dqkv: dqkv.p, scratch: scratch.p, dout: dout.p, qkv: qkv.p, prob: prob.p,
                                      offsets: offsets, B: batch, C: C, NH: NH)
                }, flops: 2 * flops))
            }
            let N = batch * 50, C = 128
            let x = Scratch(N * C), y = Scratch(N * C), dy = Scratch(N * C), dx = Scratch(N * C)
            let mean = Scratch(N), rstd = Scratch(N), w = Scratch(C), b = Scratch(C), dw = Scratch(C), db = Scratch(C)
            let elements = Double(N * C)
            // layernorm: ≈ 8 flops per element forward (mean, variance, normalise, affine), 14 backward
            rows.append(Row(name: "layernorm fwd", shape: "N=\(N) C=\(C)", seconds: median {
                layerNormForward(out: y.p, mean: mean.p, rstd: rstd.p, inp: x.p, weight: w.p, bias: b.p, N: N, C: C)
            }, flops: 8 * elements))
            rows.append(Row(name: "layernorm bwd", shape: "N=\(N) C=\(C)", seconds: median {
                layerNormBackward(dinp: dx.p, dweight: dw.p, dbias: db.p, dout: dy.p, inp: x.p, weight: w.p,
                                  mean: mean.p, rstd: rstd.p, N: N, C: C)
            }, flops: 14 * elements))
            let h = Scratch(N * 4 * C), g = Scratch(N * 4 * C), dh = Scratch(N * 4 * C), dg = Scratch(N * 4 * C)
            rows.append(Row(name: "gelu fwd", shape: "N=\(N) C=\(4 * C)", seconds: median {
                geluForward(out: g.p, inp: h.p, count: N * 4 * C)
            }, flops: 0))
            rows.append(Row(name: "gelu bwd", shape: "N=\(N) C=\(4 * C)", seconds: median {
                geluBackward(dinp: dh.p, dout: dg.p, inp: h.p, count: N * 4 * C)
            }, flops: 0))
            let wm = Scratch(4 * C * C), bm = Scratch(4 * C), dwm = Scratch(4 * C * C), dbm = Scratch(4 * C)
            let linearFlops = 2 * elements * Double(4 * C)
            rows.append(Row(name: "matmul fwd", shape: "N=\(N) C=\(C) OC=\(4 * C)", seconds: median {
                matmulForward(out: g.p, inp: x.p, weight: wm.p, bias: bm.p, N: N, C: C, OC: 4 * C)
            }, flops: linearFlops))
            rows.append(Row(name: "matmul bwd", shape: "N=\(N) C=\(C) OC=\(4 * C)", seconds: median {
                matmulBackward(dinp: dx.p, dweight: dwm.p, dbias: dbm.p, dout: dg.p, inp: x.p, weight: wm.p, N: N, C: C, OC: 4 * C)
            }, flops: 2 * linearFlops))
            let count = 1_000_000
            let params = Scratch(count), grads = Scratch(count), m = Scratch(count, value: 0), v = Scratch(count, value: 0)
            let mask = Scratch(count, value: 1)
            var step = 0
            rows.append(Row(name: "adamw 1M", shape: "1,000,000 params", seconds: median {
                step += 1
                adamWUpdate(params: params.p, grads: grads.p, m: m.p, v: v.p, decayMask: mask.p, count: count,
                            learningRate: 1e-3, step: step)
            }, flops: 0))
            return rows
        }

        /// Median seconds of `repeats` runs after one warm-up: thread CPU time on one thread,
        /// wall time otherwise.
        private func median(_ body: () -> Void) -> Double {
            BenchTiming.upperMedian(BenchTiming.measure(repeats: repeats, clock: threads == 1 ? .threadCPU : .wall, body))
        }

        // MARK: - PyTorch peer

        /// Runs `reference/layer_oracle.py --bench` and returns its {case: median seconds}.
        private func peerTimes() throws -> [String: Double] {
            let script = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                .appendingPathComponent("reference/layer_oracle.py")
            guard FileManager.default.fileExists(atPath: script.path) else {
                throw BenchError("\(script.path): PyTorch peer script not found (run from the project root, or pass --no-peer)")
            }
            let output = try python([script.path, "--bench", "\(batch)", "\(repeats)", "\(threads)"])
            guard let data = output.data(using: .utf8),
                  let times = try? JSONDecoder().decode([String: Double].self, from: data) else {
                throw BenchError("\(script.path): peer printed no timing JSON: \(output.prefix(200))")
            }
            return times
        }

        private func peerVersion() -> String {
            ((try? python(["-c", "import torch; print(torch.__version__)"])) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
        }

        private func python(_ args: [String]) throws -> String {
            let (data, status) = try M2AEBench.runPython(args)
            guard status == 0 else {
                throw BenchError("python3 \(args.first ?? "") exited \(status) (is PyTorch installed? bootstrap.sh installs it; or pass --no-peer)")
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

/// An owned float buffer of random values in [-1, 1) (or a constant) for the benchmark.
private final class Scratch {
    let p: UnsafeMutablePointer<Float>

    init(_ count: Int, value: Float? = nil) {
        p = .allocate(capacity: max(count, 1))
        var state: UInt32 = 0x9E37_79B9
        for i in 0..<max(count, 1) {
            state = state &* 1_664_525 &+ 1_013_904_223
            p[i] = value ?? (Float(state >> 8) / Float(1 << 24) * 2 - 1)
        }
    }

    deinit { p.deallocate() }
}
