import Foundation
import Model
import Testing
import TestSupport

/// Swift vs the PyTorch reference (reference/model_oracle.py) on random weights and inputs:
/// every fingerprint mode, both reconstructions and the packed intermediates agree to 1e-4.
@Suite struct ParityTests {
    static let tolerance: Float = 1e-4

    @Test(arguments: ["tiny", "small"])
    func forwardMatchesPyTorch(config: String) throws {
        if let missing = Python.missing(["torch", "safetensors"]) {
            if Python.required { Issue.record("Python modules missing: \(missing)") }
            print("skipping parity (\(config)): Python modules missing: \(missing)")
            return
        }
        let dir = try TestSupport.temporaryFolder("m2ae-parity")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Python.script("reference/model_oracle.py", ["--config", config, "--seed", "7", "--batch", "9", "--out", dir.path])
        let model = try M2AEModel(checkpoint: dir.appendingPathComponent("model.safetensors"))
        let c = try SafetensorsFile(url: dir.appendingPathComponent("case.safetensors"))
        let B = c.tensors["ecg"]!.shape[0], T = model.config.numPatches, S = model.config.segmentSamples
        var ecg = try c.floats("ecg"), ppg = try c.floats("ppg")
        let vis = Visibility(segments: B, patches: T, ecg: try c.floats("ecg_vis").map { $0 > 0.5 },
                             ppg: try c.floats("ppg_vis").map { $0 > 0.5 })
        // An absent modality is NaN in a store; the model must never read it.
        for b in 0..<B {
            if !vis.ecg[(b * T)..<((b + 1) * T)].contains(true) { for i in 0..<S { ecg[b * S + i] = .nan } }
            if !vis.ppg[(b * T)..<((b + 1) * T)].contains(true) { for i in 0..<S { ppg[b * S + i] = .nan } }
        }
        let Ne = vis.ecg.filter { $0 }.count, Np = vis.ppg.filter { $0 }.count

        for purpose in [Workspace.Purpose.training, .inference] {
            let ws = Workspace(config: model.config, maxSegments: B, purpose: purpose)
            try model.forward(ecg: ecg, ppg: ppg, visibility: vis, workspace: ws)
            let tag = "\(config)/\(purpose)"
            try checkTensor(ws.fingerprintRows(B), c.floats("fingerprint"), "\(tag) fingerprint")
            try checkTensor(ws.reconstruction(.ecg, segments: B), c.floats("ecg_recon"), "\(tag) ecg_recon")
            try checkTensor(ws.reconstruction(.ppg, segments: B), c.floats("ppg_recon"), "\(tag) ppg_recon")
            try checkTensor(ws.bottleneckOutput(tokens: Ne + Np), c.floats("bottleneck"), "\(tag) bottleneck tokens")
            if purpose == .training {
                try checkTensor(ws.encoderOutput(.ecg, tokens: Ne), c.floats("ecg_tokens"), "\(tag) ecg encoder")
                try checkTensor(ws.encoderOutput(.ppg, tokens: Np), c.floats("ppg_tokens"), "\(tag) ppg encoder")
            }
        }

        // The three fingerprint modes in one pass (inputs without NaN: every modality present).
        let clean = (try c.floats("ecg"), try c.floats("ppg"))
        let ws = Workspace(config: model.config, maxSegments: B)
        try model.fingerprintsAllModes(ecg: clean.0, ppg: clean.1, present: Array(repeating: (true, true), count: B), workspace: ws)
        let rows = ws.fingerprintRows(3 * B), f = model.config.fingerprintDim
        for (k, name) in ["fp_both", "fp_ecg", "fp_ppg"].enumerated() {
            var mine: [Float] = []
            for b in 0..<B {
                let row = 3 * b + k
                mine += rows[(row * f)..<(row * f + f)]
            }
            try checkTensor(mine, c.floats(name), "\(config) \(name)")
        }
    }

    /// Fails with the max difference and the first mismatches when `actual` and `expected`
    /// differ by more than the tolerance anywhere (or differ in length).
    func checkTensor(_ actual: [Float], _ expected: [Float], _ label: String) throws {
        try #require(actual.count == expected.count, "\(label): \(actual.count) values, expected \(expected.count)")
        var maxDiff: Float = 0
        var bad: [String] = []
        for i in actual.indices {
            let d = abs(actual[i] - expected[i])
            if !(d <= Self.tolerance) {
                if bad.count < 5 { bad.append("[\(i)] \(actual[i]) vs \(expected[i])") }
            }
            maxDiff = max(maxDiff, d.isNaN ? .infinity : d)
        }
        print("\(label): max abs diff \(maxDiff) over \(actual.count) values \(bad.isEmpty ? "OK" : "NOT OK")")
        #expect(bad.isEmpty, "\(label): max abs diff \(maxDiff); first mismatches \(bad.joined(separator: ", "))")
    }
}
