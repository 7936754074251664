import ArgumentParser
import Engine
import Foundation
import Model
import Training
import Support

extension M2AEBench {
    /// `m2ae-bench train`: training samples per second, Swift trainer against the PyTorch
    /// reference trainer on CPU with the same thread count, in one run.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Training samples/s: Swift trainer vs PyTorch (reference/train.py) on CPU, same threads.",
            discussion: """
            One unit of work is one segment through a full optimiser step (training forward with \
            complementary masks and modality drop, objective, backward, clipping, AdamW). Prints \
            medians of --repeats timed steps after one warm-up step, by wall time and by process CPU \
            time (the fair measure on a shared machine: other processes' load does not count).
            """
        )

        @Option(help: "Model config: small or tiny.")
        var config: String = "small"
        @Option(help: "Segments per step.")
        var batchSize: Int = 64
        @Option(help: "Timed steps per side (the median is reported).")
        var repeats: Int = 5
        @Option(help: "Threads for OpenBLAS and for PyTorch.")
        var threads: Int = 1
        @Flag(help: "Skip the PyTorch side.")
        var noTorch = false
        @Option(help: "The PyTorch reference trainer.")
        var torchScript: String = "reference/train.py"

        func validate() throws {
            guard M2AEConfig.preset(config) != nil else { throw ValidationError("--config must be small or tiny") }
            guard repeats >= 1, threads >= 1, batchSize >= 2, batchSize <= 4096 else {
                throw ValidationError("--repeats and --threads must be ≥ 1, --batch-size 2…4096")
            }
        }

        func run() throws {
            setBLASThreads(threads)
            let cfg = M2AEConfig.preset(config)!
            let model = try M2AEModel.random(config: cfg, seed: 0)
            let trainer = Trainer(model: model, hyperparameters: Hyperparameters(), maxSegments: batchSize)
            var rng = SplitMix64(state: 1)
            let S = cfg.segmentSamples
            let ecg = SyntheticBatch.sines(batchSize, S, &rng), ppg = SyntheticBatch.sines(batchSize, S, &rng)
            var wall: [Double] = [], cpu: [Double] = []
            for r in 0...repeats {
                let vis = TrainingMasks.draw(segments: batchSize, patches: cfg.numPatches, hyperparameters: trainer.hyperparameters, using: &rng)
                let (w0, c0) = (BenchTiming.wallSeconds(), BenchTiming.processCPUSeconds())
                _ = try trainer.step(ecg: ecg, ppg: ppg, visibility: vis, step: r, total: repeats + 1)
                if r > 0 { wall.append(BenchTiming.wallSeconds() - w0); cpu.append(BenchTiming.processCPUSeconds() - c0) }
            }
            var torch: (wall: [Double], cpu: [Double], version: String)?
            var note = ""
            if !noTorch {
                do { torch = try runTorch(cfg) } catch { note = "PyTorch side failed: \(error)" }
            }
            print("m2ae-bench train — config \(cfg.name), batch \(batchSize), \(threads) thread(s), median of \(repeats) steps after 1 warm-up")
            BenchTiming.machineLines.forEach { print($0) }
            print("side    | wall s/step | samples/s (wall) | CPU s/step | samples/s (CPU)")
            print("--------|-------------|------------------|------------|----------------")
            func row(_ name: String, _ w: [Double], _ c: [Double]) {
                print(name.padding(toLength: 7, withPad: " ", startingAt: 0) + String(format: " | %11.3f | %16.1f | %10.3f | %15.1f", BenchTiming.median(w), Double(batchSize) / BenchTiming.median(w),
                             BenchTiming.median(c), Double(batchSize) / BenchTiming.median(c)))
            }
            row("swift", wall, cpu)
            if let t = torch {
                row("torch", t.wall, t.cpu)
                print(String(format: "swift/torch samples/s ratio: %.2f× (wall), %.2f× (CPU); torch %@",
                             BenchTiming.median(t.wall) / BenchTiming.median(wall), BenchTiming.median(t.cpu) / BenchTiming.median(cpu), t.version))
            }
            let mem = trainer.memoryBytes
            print(String(format: "swift memory: %.1f MB parameters+gradients+AdamW, %.1f MB activations, %.1f MB activation gradients",
                         Double(mem.state) / 1e6, Double(mem.activations) / 1e6, Double(mem.activationGradients) / 1e6))
            if !note.isEmpty { print("note: \(note)") }
        }

        private func runTorch(_ cfg: M2AEConfig) throws -> (wall: [Double], cpu: [Double], version: String) {
            let (data, status) = try M2AEBench.runPython(
                [torchScript, "bench", "--config", cfg.name, "--batch-size", String(batchSize), "--threads", String(threads),
                 "--repeats", String(repeats)],
                environment: ["OMP_NUM_THREADS": String(threads)])
            guard status == 0, let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let w = obj["wall"] as? [Double], let c = obj["cpu"] as? [Double] else {
                throw BenchError("\(torchScript) bench exited \(status) without a result")
            }
            return (w, c, obj["torch"] as? String ?? "?")
        }
    }
}
