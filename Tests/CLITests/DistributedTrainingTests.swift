import Foundation
import Testing
import TestSupport

/// `reference/train.py fit` under torchrun (two CPU processes, gloo) takes the same steps as one
/// process on the same global batch, and `m2ae` reads the checkpoint it writes.
@Suite("torchrun scale-out")
struct DistributedTrainingTests {
    @Test("torchrun --nproc-per-node 2 matches one process: losses and final weights within 1e-4")
    func twoProcessesMatchOne() throws {
        if let absent = Python.missing(["torch", "torch.distributed", "h5py", "safetensors"]) {
            if Python.required { Issue.record("Python modules missing: \(absent)") }
            print("skipping the torchrun test: Python modules \(absent) missing")
            return
        }
        let dir = try TestSupport.temporaryFolder("m2ae-ddp")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("cohort.h5")
        try m2aeSucceeds(["synth", "--subjects", "8", "--segments", "6", "--defect-rate", "0", "--out", store.path])

        func fit(_ launcher: [String], _ name: String) throws -> (checkpoint: URL, losses: [[String: Double]]) {
            let out = dir.appendingPathComponent("\(name).safetensors"), losses = dir.appendingPathComponent("\(name).json")
            let r = try Python.run(launcher + ["reference/train.py", "fit", "--store", store.path, "--config", "tiny", "--epochs", "1",
                                               "--batch-size", "8", "--max-steps", "4", "--seed", "3", "--val-fraction", "0.25",
                                               "--out", out.path, "--losses", losses.path],
                                   environment: ["OMP_NUM_THREADS": "1"])
            try #require(r.status == 0, "\(name) run exited \(r.status): \(r.stderr.suffix(3000))")
            let parts = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: losses)) as? [[String: Double]])
            return (out, parts)
        }
        let one = try fit([], "one")
        let two = try fit(["-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2"], "two")

        try #require(one.losses.count == 4 && two.losses.count == 4, "steps: \(one.losses.count) and \(two.losses.count)")
        for (s, (a, b)) in zip(one.losses, two.losses).enumerated() {
            for key in ["loss", "recon_ecg", "recon_ppg", "contrastive", "retrieval_top1", "grad_norm", "lr"] {
                let x = try #require(a[key]), y = try #require(b[key])
                #expect(abs(x - y) <= 1e-4, "step \(s) \(key): one process \(x), two \(y)")
            }
        }
        let compare = try Python.run(["-c", """
            import sys
            from safetensors.numpy import load_file
            a, b = load_file(sys.argv[1]), load_file(sys.argv[2])
            assert a.keys() == b.keys(), "different tensors"
            print(max(float(abs(a[k] - b[k]).max()) for k in a))
            """, one.checkpoint.path, two.checkpoint.path])
        try #require(compare.status == 0, "\(compare.stderr)")
        let diff = try #require(Double(compare.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        print("torchrun vs one process: largest weight difference \(diff)")
        #expect(diff <= 1e-4)

        // the torchrun checkpoint is an ordinary m2ae checkpoint
        let embed = try m2ae(["embed", store.path, "--model", two.checkpoint.path])
        #expect(embed.status == 0, "\(embed)")
    }
}
