import Foundation
import Signals
import Store
import Support
import Testing
import TestSupport
@testable import Importers

// MARK: - Oracle: scipy.io.loadmat (v5), the arrays h5py wrote (v7.3)

/// One array as `reference/mat_oracle.py` writes it.
private struct OracleArray: Decodable { var path: String; var rows: Int; var columns: Int }

/// Reads `reference/mat_oracle.py` output: the arrays of `entries` from the binary file `bin`.
private func arrays(_ entries: [OracleArray], bin: URL) throws -> [String: (OracleArray, [Double])] {
    let data = try Data(contentsOf: bin)
    var out: [String: (OracleArray, [Double])] = [:]
    var at = 0
    for e in entries {
        let n = e.rows * e.columns
        out[e.path] = (e, data.subdata(in: at..<(at + 8 * n)).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) })
        at += 8 * n
    }
    return out
}

/// scipy.io.loadmat's numeric arrays of each file, by path.
private func scipyArrays(_ files: [URL]) throws -> [[String: (OracleArray, [Double])]] {
    let out = try TestSupport.temporaryFolder("mat-oracle")
    defer { try? FileManager.default.removeItem(at: out) }
    let json = try Python.script("reference/mat_oracle.py", ["dump", out.path] + files.map(\.path))
    let lists = try JSONDecoder().decode([[OracleArray]].self, from: Data(json.utf8))
    return try lists.enumerated().map { try arrays($1, bin: out.appendingPathComponent("\($0).bin")) }
}

/// True when the oracle modules are there; otherwise prints why the test is skipped.
private func oracleAvailable() -> Bool {
    if let missing = Python.missing(["scipy", "numpy", "h5py"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return false
    }
    return true
}

/// The node at `path` (fields and struct-array elements) in `file`.
private func node(_ path: String, in file: MATFile) -> MATNode? {
    guard let steps = MATPath.parse(path) else { return nil }
    var node = MATNode.structure(file.variables)
    for step in steps {
        switch (step, node) {
        case (.field(let name), .structure(let fields)):
            guard let f = fields.first(where: { $0.name == name }) else { return nil }
            node = f.node
        case (.index(let i), .structArray(let elements)) where elements.indices.contains(i):
            node = elements[i]
        default: return nil
        }
    }
    return node
}

/// Checks that every array of `expected` is in `file` with the same shape and values bit for
/// bit (NaN equal to NaN), and that `file` has no numeric array the oracle lacks.
private func expectSameArrays(_ file: MATFile, _ expected: [String: (OracleArray, [Double])], _ label: String) {
    for (path, (shape, values)) in expected {
        guard case .numeric(let rows, let columns, let mine)? = node(path, in: file) else {
            Issue.record("\(label): \(path) is not a numeric array here"); continue
        }
        #expect(rows == shape.rows && columns == shape.columns, "\(label) \(path): \(rows) × \(columns), oracle \(shape.rows) × \(shape.columns)")
        let diff = WFDBOracle.firstDifference(mine, values)
        #expect(diff == nil, "\(label) \(path): first difference at \(diff ?? -1)")
    }
    var mine: [String] = []
    func walk(_ fields: [MATField], _ prefix: String) {
        for f in fields {
            switch f.node {
            case .numeric(let r, let c, _) where r * c > 0: mine.append(prefix + f.name)
            case .structure(let inner): walk(inner, prefix + f.name + ".")
            case .structArray(let e):
                for (i, s) in e.enumerated() { if case .structure(let inner) = s { walk(inner, "\(prefix)\(f.name)[\(i)].") } }
            default: continue
            }
        }
    }
    walk(file.variables, "")
    let extra = Set(mine).subtracting(expected.keys)
    #expect(extra.isEmpty, "\(label): arrays the oracle does not have: \(extra.sorted())")
}

// MARK: - Every real file equals scipy.io.loadmat

@Test func realMATFilesEqualScipy() throws {
    guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
    guard oracleAvailable() else { return }
    let folder = real.appendingPathComponent("mat")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mat") }.sorted()
        .map { folder.appendingPathComponent($0) }
    #expect(files.count == 4)
    let expected = try scipyArrays(files)
    for (url, arrays) in zip(files, expected) {
        let file = try MATFile.read(url)
        #expect(file.version == "MAT v5")
        expectSameArrays(file, arrays, url.lastPathComponent)
        // every channel of the recording is one of those arrays, or a row or column of one
        let recording = try MATReader.read(url)
        #expect(recording.parts.count == 1 && !recording.parts[0].channels.isEmpty)
        for c in recording.parts[0].channels {
            let source = arrays[c.name]?.1 ?? arrays["signal"].flatMap { s -> [Double]? in
                guard let j = ["PPG", "ABP", "I", "III", "V1", "V2", "V4", "V5", "V6", "V3"].firstIndex(of: c.name) else { return nil }
                return Array(s.1[(j * s.0.rows)..<((j + 1) * s.0.rows)])
            }
            #expect(source.map { WFDBOracle.firstDifference(c.samples, $0) == nil } == true, "\(url.lastPathComponent) \(c.name)")
        }
    }
}

/// What the readers make of each real file: channels, names, rates and units as documented.
@Test func realMATChannelsAndRates() throws {
    guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
    let folder = real.appendingPathComponent("mat")
    func channels(_ name: String) throws -> [Channel] { try MATReader.read(folder.appendingPathComponent(name)).parts[0].channels }
    let perform = try channels("mimic_perform_1min_normal.mat")
    #expect(perform.map(\.name) == ["data.ppg.v", "data.ekg.v", "data.imp.v", "data.abp.v"])
    #expect(perform.allSatisfy { $0.rate == 125 } && perform[3].samples.count == 150_001)
    let ecgkit = try channels("ecgkit_example_recording.mat")
    #expect(ecgkit.map(\.name) == ["PPG", "ABP", "I", "III", "V1", "V2", "V4", "V5", "V6", "V3"])
    #expect(ecgkit.allSatisfy { $0.rate == 250 && $0.units == "uV" && $0.samples.count == 10_000 })
    let ecg = try channels("mollie_example_ECG.mat"), ppg = try channels("mollie_example_PPG.mat")
    #expect(ecg.first?.name == "ECG.ts" && ecg.first?.rate == 256 && ecg.first?.units == "mV" && ecg.first?.samples.count == 76_801)
    #expect(ppg.first?.name == "PPG.ts" && ppg.first?.rate == 512 && ppg.first?.samples.count == 153_601)
    #expect(!ecg.contains { $0.name == "ECG.t" })                // the time vector is not a signal
    // by path: a row and a column of ecg-kit's 10000 × 10 matrix, a struct field
    let picked = try MATReader.read(folder.appendingPathComponent("ecgkit_example_recording.mat"),
                                    select: ["signal[:,2]", "signal[5]"]).parts[0].channels
    #expect(picked.first { $0.name == "signal[:,2]" }?.samples == ecgkit[2].samples)
    #expect(picked.first { $0.name == "signal[5]" }?.samples == ecgkit.map { $0.samples[5] })
}

// MARK: - v7.3 (HDF5) files written with h5py, and their v5 copies

@Test func v73FilesEqualTheWrittenArrays() throws {
    guard oracleAvailable() else { return }
    let folder = try TestSupport.temporaryFolder("mat-v73")
    defer { try? FileManager.default.removeItem(at: folder) }
    struct Written: Decodable { var v73: [String: [OracleArray]]; var v5: [String] }
    let written = try JSONDecoder().decode(Written.self, from: Data(try Python.script("reference/mat_oracle.py", ["write", folder.path]).utf8))
    #expect(written.v73.count == 2)
    for (name, entries) in written.v73 {
        let url = folder.appendingPathComponent(name + ".mat")
        let file = try MATFile.read(url)
        #expect(file.version == "MAT v7.3", "\(name)")
        expectSameArrays(file, try arrays(entries, bin: folder.appendingPathComponent(name + ".bin")), name)
    }
    let v5 = written.v5.map { folder.appendingPathComponent($0 + ".mat") }
    for (url, expected) in zip(v5, try scipyArrays(v5)) {
        expectSameArrays(try MATFile.read(url), expected, url.lastPathComponent)
    }
    // the same content in both versions gives the same channels
    for (a, b) in [("perform73", "perform5"), ("matrix73", "matrix5")] {
        let x = try MATReader.read(folder.appendingPathComponent(a + ".mat")).parts[0].channels
        let y = try MATReader.read(folder.appendingPathComponent(b + ".mat")).parts[0].channels
        #expect(Set(x.map(\.name)) == Set(y.map(\.name)), "\(a) vs \(b)")
        for c in x { #expect(y.first { $0.name == c.name } == c, "\(a) vs \(b): \(c.name)") }
    }
    let matrix = try MATReader.read(folder.appendingPathComponent("matrix73.mat"), select: ["sig[2,:]", "sig[:,1]"]).parts[0].channels
    #expect(matrix.map(\.name) == ["counts", "sig[0]", "sig[1]", "sig[2]", "sig[3]", "sig[2,:]", "sig[:,1]"])
    #expect(matrix[5].samples == matrix[3].samples && matrix[6].samples == [1, 2, 3, 4].map { matrix[$0].samples[1] })
    #expect(matrix.allSatisfy { $0.rate == 250 })
    let perform = try MATReader.read(folder.appendingPathComponent("perform73.mat")).parts[0].channels
    #expect(perform.map(\.name) == ["data.ekg.v", "data.ppg.v"] && perform[0].units == "mV")
    let records = try MATReader.read(folder.appendingPathComponent("structarray.mat"), select: ["rec[1].ekg"]).parts[0].channels
    #expect(records.map(\.name) == ["rec[0].ekg", "rec[1].ekg"] && records.map(\.rate) == [125, 250])
}

// MARK: - Bad input: one line naming the file, no store

@Test func matBadInputNamesTheFile() throws {
    guard oracleAvailable() else { return }
    let folder = try TestSupport.temporaryFolder("mat-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try Python.script("reference/mat_oracle.py", ["write", folder.path])
    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
    func problem(_ name: String, rate: Double? = nil, select: [String] = []) -> String? {
        do { _ = try MATReader.read(url(name), rate: rate, select: select); return nil } catch let e as ImportError {
            #expect(e.path == url(name).path && !e.description.contains("\n"), "\(e)")
            return e.problem
        } catch { Issue.record("\(name): \(error)"); return nil }
    }
    #expect(problem("perform5.mat", select: ["data.ekg.x"])
            == "no variable 'data.ekg.x' (variables: data.ekg.v 3000×1, data.ekg.fs 1×1, data.ppg.v 3000×1, data.ppg.fs 1×1)")
    #expect(problem("square.mat", select: ["img"])
            == "'img' is a 100 × 200 matrix, both sides longer than 64: name one row or column (img[0], img[:,0])")
    #expect(problem("matrix5.mat", select: ["sig"]) == "'sig' is a 4 × 6000 matrix of 4 channels: name one (sig[0] … sig[3])")
    #expect(problem("matrix5.mat", select: ["sig[4]"]) == "'sig[4]': row 4 is out of range (4 × 6000)")
    #expect(problem("matrix5.mat", select: ["sig[:,6000]"]) == "'sig[:,6000]': column 6000 is out of range (4 × 6000)")
    #expect(problem("matrix5.mat", select: ["sig[[0]"]) == "'sig[[0]' is not a variable path (write data.ekg.v, sig[0] or sig[:,0])")
    #expect(problem("rate0.mat") == "ECG.fs = 0.0 is not a usable sampling rate (0.1–100000 Hz)")
    #expect(problem("rate1e-7.mat") == "ECG.fs = 1e-07 is not a usable sampling rate (0.1–100000 Hz)")
    #expect(problem("rate1e9.mat") == "ECG.fs = 1000000000.0 is not a usable sampling rate (0.1–100000 Hz)")
    #expect(problem("norate.mat")
            == "no numeric signal with a sampling rate (variables: x 1×3000, y 1×3000); give --rate or name one with --ecg/--ppg")
    for rate in [0, 1e-7, 1e9] {
        #expect(problem("norate.mat", rate: rate) == "--rate \(rate) Hz is not a usable sampling rate (0.1–100000 Hz)")
    }
    #expect(try MATReader.read(url("norate.mat"), rate: 100).parts[0].channels.map(\.rate) == [100, 100])
    #expect(problem("nothing.mat") == "no such file")

    // truncated and damaged files, v5 (compressed) and v7.3
    for name in ["perform5.mat", "matrix5.mat", "perform73.mat", "matrix73.mat"] {
        let good = try Data(contentsOf: url(name))
        for cut in [good.count / 2, good.count - 7, 600, 130, 100] {
            try good.prefix(cut).write(to: url("cut.mat"))
            #expect(problem("cut.mat") != nil, "\(name) cut at \(cut) reads")
        }
    }
    // no store is written when a MAT file fails
    let out = url("s.h5")
    var options = Importer.Options()
    options.picker = ChannelPicker(ecg: "data.ekg.x")
    #expect(throws: ImportError.self) { try Importer.run(paths: [url("perform5.mat")], out: out, options: options) }
    #expect(!FileManager.default.fileExists(atPath: out.path))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
    #expect(leftovers.isEmpty)
}

/// libmatio allocates a pointer per struct or cell element from the dimensions alone: a
/// negative dimension (found by the `mat` fuzz target: libmatio asked for 64 GB) and a struct
/// claiming more elements than its bytes hold are refused before it reads the file.
@Test func structDimensionsAreCheckedBeforeLibmatio() throws {
    let negative = TestSupport.projectRoot.appendingPathComponent("Fuzz/corpus/mat/struct-negative-dims.mat")
    #expect(throws: ImportError(negative, "damaged: variable 1 has a negative dimension (-15794177)")) {
        try MATReader.read(negative)
    }
    var bytes = try Data(contentsOf: negative)
    bytes.replaceSubrange(0xa0..<0xa4, with: [0x00, 0x10, 0x00, 0x00])   // 4,096 × 1 elements of 2 fields
    let folder = try TestSupport.temporaryFolder("mat-dims")
    defer { try? FileManager.default.removeItem(at: folder) }
    let large = folder.appendingPathComponent("large.mat")
    try bytes.write(to: large)
    #expect(throws: ImportError(large, "damaged: variable 1 declares 8192 struct or cell elements, more than its 24448 bytes can hold")) {
        try MATReader.read(large)
    }
}

/// Random byte mutations of a compressed v5 file and a v7.3 file: each read either succeeds or
/// fails with an `ImportError` naming the file.
@Test func matMutationsNeverCrash() throws {
    guard oracleAvailable() else { return }
    let folder = try TestSupport.temporaryFolder("mat-fuzz")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try Python.script("reference/mat_oracle.py", ["write", folder.path])
    // Seeded, so every run reads the same mutations: a failure is reproducible, never a flake.
    var rng = SplitMix64(seed: 0x6d61_7435_6d75_7431)
    let target = folder.appendingPathComponent("m.mat")
    for name in ["perform5.mat", "matrix5.mat"] {
        let good = try Data(contentsOf: folder.appendingPathComponent(name))
        for round in 0..<150 {
            var bytes = good
            for _ in 0..<(1 + round % 6) {
                let at = Int.random(in: 128..<bytes.count, using: &rng)
                bytes[at] = UInt8.random(in: 0...255, using: &rng)
            }
            try bytes.write(to: target)
            do { _ = try MATReader.read(target) } catch let e as ImportError { #expect(e.path == target.path) }
        }
    }
}

// MARK: - Several files as one recording: mollie's ECG and PPG files

@Test func mollieImportsAsOneRecording() throws {
    guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
    let folder = real.appendingPathComponent("mat")
    let paths = ["mollie_example_ECG.mat", "mollie_example_PPG.mat"].map { folder.appendingPathComponent($0) }
    let recording = try RecordingReader.read(together: paths)
    #expect(recording.name == "mollie_example" && recording.parts.count == 1 && recording.format == "MAT v5")
    let out = try TestSupport.temporaryFolder("mollie")
    defer { try? FileManager.default.removeItem(at: out) }
    var options = Importer.Options()
    options.together = true
    let summary = try Importer.run(paths: paths, out: out.appendingPathComponent("m.h5"), options: options)
    #expect(summary.subjects == 1 && summary.records.count == 1 && summary.segments == 30)
    #expect(summary.records[0].ecgChannels == ["ECG.ts"] && summary.records[0].ppgChannels == ["PPG.ts"])
    let store = try RecordStore(url: out.appendingPathComponent("m.h5"))
    let metas = try store.meta(0..<30)
    #expect(metas.count == 30 && metas.allSatisfy { $0.ecgOriginalRate == 256 && $0.ppgOriginalRate == 512 })
    #expect(metas.allSatisfy { !$0.ecgQuality.contains(.absent) && !$0.ppgQuality.contains(.absent) })
    // forced paths may each live in one of the files
    options.picker = ChannelPicker(ecg: "ECG.ts", ppg: "PPG.ts_filt")
    let forced = try Importer.run(paths: paths, out: out.appendingPathComponent("f.h5"), options: options)
    #expect(forced.records[0].ppgChannels == ["PPG.ts_filt"])
    // without --together they are two recordings of two subjects
    let apart = try Importer.run(paths: paths, out: out.appendingPathComponent("a.h5"), options: Importer.Options())
    #expect(apart.subjects == 2 && apart.records.map { $0.ppgChannels.isEmpty } == [true, false])
}
