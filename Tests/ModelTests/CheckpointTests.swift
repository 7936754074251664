import Foundation
import Engine
import Model
import Testing
import TestSupport

/// Checkpoints: round trips (Swift and PyTorch), every bad-input case is one clear error.
@Suite struct CheckpointTests {
    static func tempDir() throws -> URL { try TestSupport.temporaryFolder("m2ae-ckpt") }

    @Test func layoutMatchesTheArenaAndThePresets() throws {
        for config in [M2AEConfig.tiny, .small] {
            let layout = ParameterLayout(config)
            let arena = layout.arenaLayout
            #expect(arena.totalCount == layout.count)
            for e in layout.entries { #expect(arena.slot(e.name)?.offset == e.offset) }
        }
        // small: 2 encoders of 3 blocks at d 128, 2 shared blocks, 2 decoders at 64.
        #expect(ParameterLayout(.small).parameterCount == 1_749_170)
    }

    @Test func roundTripKeepsEveryValueAndTheID() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try M2AEModel.random(config: .tiny, seed: 11)
        let url = dir.appendingPathComponent("m.safetensors")
        try model.save(to: url)
        let back = try M2AEModel(checkpoint: url)
        #expect(back.config == model.config)
        #expect(back.id == model.id)
        #expect(Array(UnsafeBufferPointer(start: back.params.base, count: back.params.count))
                == Array(UnsafeBufferPointer(start: model.params.base, count: model.params.count)))
        #expect(try M2AEModel.random(config: .tiny, seed: 12).id != model.id)
        #expect(try M2AEModel.random(config: .tiny, seed: 11).id == model.id)
    }

    @Test func idIsKeptUntilTheParametersChange() throws {
        let model = try M2AEModel.random(config: .tiny, seed: 11)
        let first = model.id
        #expect(model.id == first)
        let bias = try #require(model.tensor("ecg.patch_embed.bias"))
        bias[0] += 1
        #expect(model.id == first, "a write without parametersDidChange() keeps the cached id")
        model.parametersDidChange()
        let changed = model.id
        #expect(changed != first)
        bias[0] -= 1
        model.parametersDidChange()
        #expect(model.id == first)
        #expect(model.id == (try M2AEModel.random(config: .tiny, seed: 11)).id)
    }

    @Test func pyTorchLoadsAndRewritesTheSameFile() throws {
        if let missing = Python.missing(["torch", "safetensors"]) {
            if Python.required { Issue.record("Python modules missing: \(missing)") }
            print("skipping PyTorch round trip: Python modules missing: \(missing)")
            return
        }
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try M2AEModel.random(config: .small, seed: 5)
        let a = dir.appendingPathComponent("a.safetensors"), b = dir.appendingPathComponent("b.safetensors")
        try model.save(to: a)
        let r = try Python.run(["-c", "import sys; sys.path.insert(0, 'reference'); import m2ae; m2ae.save_checkpoint(m2ae.load_checkpoint(sys.argv[1]), sys.argv[2])", a.path, b.path])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(try M2AEModel(checkpoint: b).id == model.id)
    }

    /// The init's position tables equal the reference's `sine_cosine` (PyTorch, float64 then
    /// rounded), Linear weights are Xavier-uniform, the other embeddings small random values.
    @Test func initialPositionEmbeddingsAreTheReferenceSineCosineTable() throws {
        let model = try M2AEModel.random(config: .small, seed: 3)
        let enc = try #require(model.tensor("ecg.pos_embed")), dec = try #require(model.tensor("ppg_decoder.pos_embed"))
        // Row 0 is [0…0, 1…1]; a value far in: row 7, column 3 of the 128-wide table.
        #expect(enc[0] == 0 && enc[64] == 1 && dec[32] == 1)
        #expect(abs(enc[7 * 128 + 3] - Float(sin(7 * pow(10_000, -6.0 / 128)))) < 1e-6)
        let mask = try #require(model.tensor("ecg_decoder.mask_token"))
        #expect(mask.allSatisfy { abs($0) < 0.2 } && mask.contains { $0 != 0 })
        // Xavier-uniform Linear weights: inside ±√(6/(in+out)), s.d. near bound/√3.
        let qkv = try #require(model.tensor("ecg.encoder.0.attn.qkv.weight"))
        let bound = Float((6.0 / Double(128 + 384)).squareRoot())
        #expect(qkv.allSatisfy { abs($0) <= bound })
        let sd = (qkv.reduce(0) { $0 + Double($1 * $1) } / Double(qkv.count)).squareRoot()
        #expect(abs(sd - Double(bound) / 3.0.squareRoot()) < 0.02 * Double(bound))
        if let missing = Python.missing(["torch"]) {
            if Python.required { Issue.record("Python modules missing: \(missing)") }
            print("skipping the PyTorch sine-cosine check: Python modules missing: \(missing)")
            return
        }
        let r = try Python.run(["-c", """
            import sys; sys.path.insert(0, 'reference'); import m2ae
            for rows, width in ((50, 128), (50, 64)):
                print(" ".join(repr(float(v)) for v in m2ae.sine_cosine(rows, width).flatten()))
            """])
        try #require(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        try #require(lines.count == 2)
        for (line, table) in zip(lines, [enc, dec]) {
            let values = line.split(separator: " ").compactMap { Float(String($0)) }
            try #require(values.count == table.count)
            #expect(zip(values, table).map { abs($0 - $1) }.max()! < 1e-6)
        }
    }

    // MARK: - Bad checkpoints

    /// Writes a checkpoint of `model` with its tensors edited by `edit` and metadata by `meta`.
    func write(_ model: M2AEModel, to url: URL, meta: (inout [String: String]) -> Void = { _ in },
               edit: (inout [(String, [Int], [Float])]) -> Void = { _ in }) throws {
        var tensors = model.layout.entries.map { e in
            (e.name, e.shape, Array(UnsafeBufferPointer(start: model.params.base + e.offset, count: e.count)))
        }
        edit(&tensors)
        var metadata = ["format": "m2ae", "format_version": "1", "config": model.config.json()]
        meta(&metadata)
        let arrays = tensors.map(\.2)
        try withPointers(arrays) { ptrs in
            try SafetensorsFile.write(to: url, tensors: zip(tensors, ptrs).map { SafetensorsFile.Tensor(name: $0.0.0, shape: $0.0.1, values: $0.1) },
                                      metadata: metadata)
        }
    }

    func withPointers(_ arrays: [[Float]], _ body: ([UnsafeBufferPointer<Float>]) throws -> Void) throws {
        let bufs = arrays.map { a -> UnsafeMutableBufferPointer<Float> in
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: a.count)
            _ = b.initialize(from: a)
            return b
        }
        defer { bufs.forEach { $0.deallocate() } }
        try body(bufs.map { UnsafeBufferPointer($0) })
    }

    func expectError(_ url: URL, contains text: String) {
        do {
            _ = try M2AEModel(checkpoint: url)
            Issue.record("\(url.lastPathComponent) loaded, expected an error containing '\(text)'")
        } catch {
            let message = String(describing: error)
            #expect(message.contains(text) && message.contains(url.path) && !message.contains("\n"), "\(message)")
        }
    }

    @Test func badCheckpointsGiveOneClearError() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try M2AEModel.random(config: .tiny, seed: 2)
        func url(_ n: String) -> URL { dir.appendingPathComponent(n) }

        try write(model, to: url("missing.st"), edit: { $0.removeAll { $0.0 == "ecg.pos_embed" } })
        expectError(url("missing.st"), contains: "tensor 'ecg.pos_embed' is missing")
        try write(model, to: url("shape.st"), edit: { t in
            let i = t.firstIndex { $0.0 == "bottleneck.proj.bias" }!
            t[i] = (t[i].0, [17], [Float](repeating: 0, count: 17))
        })
        expectError(url("shape.st"), contains: "tensor 'bottleneck.proj.bias' has shape [17], the config needs [16]")
        try write(model, to: url("nan.st"), edit: { t in t[3].2[0] = .nan })
        expectError(url("nan.st"), contains: "non-finite value")
        try write(model, to: url("extra.st"), edit: { $0.append(("head.weight", [2], [1, 2])) })
        expectError(url("extra.st"), contains: "unexpected tensor 'head.weight'")
        try write(model, to: url("heads.st"), meta: { $0["config"] = $0["config"]!.replacingOccurrences(of: "\"encoder_heads\":2", with: "\"encoder_heads\":3") })
        expectError(url("heads.st"), contains: "encoder_heads = 3 must divide d_model = 32")
        try write(model, to: url("json.st"), meta: { $0["config"] = "{not json" })
        expectError(url("json.st"), contains: "config JSON is malformed")
        try write(model, to: url("format.st"), meta: { $0["format"] = "gpt2" })
        expectError(url("format.st"), contains: "not an M2AE checkpoint")
        try write(model, to: url("noconfig.st"), meta: { $0["config"] = nil })
        expectError(url("noconfig.st"), contains: "metadata has no 'config'")
        expectError(url("absent.st"), contains: "cannot open the file")
        // A caller tells a checkpoint that is not there (make one) from a bad one (refuse it).
        func kind(_ u: URL) -> String {
            do { _ = try M2AEModel(checkpoint: u); return "loaded" } catch let e as CheckpointError {
                switch e {
                case .missing: return "missing"
                case .invalid: return "invalid"
                }
            } catch { return "other" }
        }
        #expect(kind(url("absent.st")) == "missing" && kind(url("format.st")) == "invalid")
    }

    /// A config inside the documented 1…4096 ranges but far larger than the file's tensors is
    /// refused by the shape check before the model is allocated (it once asked for 6.6 TB).
    @Test func aHugeConfigIsCheckedAgainstTheTensorsBeforeAllocating() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try M2AEModel.random(config: .tiny, seed: 3)
        let url = dir.appendingPathComponent("huge.st")
        try write(model, to: url, meta: {
            $0["config"] = $0["config"]!.replacingOccurrences(of: "\"d_model\":32", with: "\"d_model\":4096")
                .replacingOccurrences(of: "\"encoder_layers\":1", with: "\"encoder_layers\":4096")
        })
        #expect(try SafetensorsFile(url: url).metadata["config"]!.contains("\"encoder_layers\":4096"))
        expectError(url, contains: "the config needs")
    }

    // MARK: - Hostile safetensors files

    /// A file of an 8-byte length `n` then `rest`.
    func hostile(_ url: URL, length n: UInt64, _ rest: String) throws {
        var d = Data()
        withUnsafeBytes(of: n.littleEndian) { d.append(contentsOf: $0) }
        d.append(Data(rest.utf8))
        try d.write(to: url)
    }

    @Test func hostileFilesAreErrorsNotCrashes() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("h.st")
        // (header length or nil for the body's own length, header body, expected error text)
        let cases: [(UInt64?, String, String)] = [
            (UInt64.max, "{}", "header length"),
            (1 << 40, "{}", "header length"),
            (nil, "[]", "not a JSON object"),
            (nil, "{\"a\":", "not valid JSON"),
            (nil, #"{"x":{"dtype":"F32","shape":[16],"data_offsets":[0,64]}}"#, "outside the file"),
            (nil, #"{"x":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#, "exceeds the file"),
            (nil, #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, "needs 12"),
            (nil, #"{"x":{"dtype":"Q99","shape":[2],"data_offsets":[0,8]}}"#, "unknown dtype"),
            (nil, #"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, "invalid shape"),
            (nil, #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, "outside the file"),
            (nil, #"{"x":{"dtype":"F32"}}"#, "lacks dtype, shape or data_offsets"),
            (nil, #"{"__metadata__":{"a":1}}"#, "is not a string"),
            // The tensors must tile the data section exactly (16 bytes here), as the reference reader requires.
            (nil, #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, "invalid offset"),
            (nil, #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, "invalid offset"),
            (nil, #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, "invalid offset"),
        ]
        for (n, body, expected) in cases {
            // Data bytes after the header so that offsets up to 8 would be inside the file
            // when the header itself is sound: only the tested fault remains.
            try hostile(url, length: n ?? UInt64(body.utf8.count), body + (n == nil ? String(repeating: "\u{0}", count: 16) : ""))
            do {
                _ = try SafetensorsFile(url: url)
                Issue.record("accepted a hostile file (expected '\(expected)'): \(body)")
            } catch let e as SafetensorsError {
                #expect(e.description.contains(expected), "\(e.description) should mention '\(expected)'")
            }
        }
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(url: url) }
    }

    @Test func safetensorsRoundTripKeepsMetadataAndValues() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.safetensors")
        let a: [Float] = [1, -2, 3.5, .infinity, 0, 7], b: [Float] = [42]
        try withPointers([a, b]) { p in
            try SafetensorsFile.write(to: url, tensors: [.init(name: "a", shape: [2, 3], values: p[0]), .init(name: "b", shape: [], values: p[1])],
                                      metadata: ["k": "v \"quoted\" ✓"])
        }
        let f = try SafetensorsFile(url: url)
        #expect(f.metadata == ["k": "v \"quoted\" ✓"])
        #expect(f.tensors["a"]?.shape == [2, 3])
        #expect(try f.floats("a") == a)
        #expect(try f.floats("b") == b)
        #expect(throws: SafetensorsError.self) { try f.floats("c") }
    }
}
