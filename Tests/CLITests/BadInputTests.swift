import Foundation
import Testing
import TestSupport

/// Bad input: every command fails with exit status ≠ 0, nothing on standard output, one
/// line on standard error naming the file and the problem, and no file left behind.
@Suite("m2ae on bad input")
struct BadInputTests {
    /// A scratch folder with a damaged copy of the cohort (`truncated.h5`, half its bytes) and a
    /// text file posing as a store (`text.h5`), removed by the caller.
    static func scratch() throws -> (folder: URL, truncated: URL, text: URL) {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-bad")
        let data = try Data(contentsOf: c.store)
        let truncated = folder.appendingPathComponent("truncated.h5"), text = folder.appendingPathComponent("text.h5")
        try data.prefix(data.count / 2).write(to: truncated)
        try Data("segment,ecg\n1,2\n".utf8).write(to: text)
        return (folder, truncated, text)
    }

    /// Runs a command that must fail in `folder` and checks the error and that the folder is unchanged.
    func expectFailure(_ arguments: [String], in folder: URL, mentions: [String],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = listing(folder)
        let r = try m2ae(arguments, in: folder)
        expectOneLineError(r, mentions: mentions, sourceLocation: sourceLocation)
        #expect(listing(folder) == before, "m2ae \(arguments.joined(separator: " ")) left files behind: \(listing(folder)) (was \(before))",
                sourceLocation: sourceLocation)
    }

    // MARK: - Stores that do not open

    @Test("missing, non-HDF5 and truncated stores, for every command that reads one")
    func unreadableStores() throws {
        let c = try CLICohort.get()
        let (folder, truncated, text) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.h5")
        let cases: [(URL, String)] = [(missing, "no such file"), (text, "not an HDF5 file"), (truncated, "truncated")]
        for (store, problem) in cases {
            let p = store.path
            try expectFailure(["info", p], in: folder, mentions: [p, problem])
            try expectFailure(["info", p, "--json"], in: folder, mentions: [p, problem])
            try expectFailure(["embed", p, "--model", c.model.path], in: folder, mentions: [p, problem])
            try expectFailure(["reconstruct", p, "--model", c.model.path, "--segment", "0", "--from", "ppg"], in: folder, mentions: [p, problem])
            try expectFailure(["knn", p, "--segment", "0"], in: folder, mentions: [p, problem])
            try expectFailure(["project", p], in: folder, mentions: [p, problem])
            try expectFailure(["predict", p, "--segment", "0", "--model", c.model.path], in: folder, mentions: [p, problem])
            try expectFailure(["evaluate", "--train", p, "--model", c.model.path, "--bootstrap", "10", "--no-random-baseline",
                               "--no-handcrafted", "--report", "r.md"], in: folder, mentions: [p, problem])
        }
    }

    @Test("an HDF5 file that is not a store, a store of another schema version (made with h5py)")
    func foreignHDF5() throws {
        if let absent = Python.missing(["h5py"]) {
            #expect(!Python.required, "Python modules missing: \(absent)")
            print("skipped: Python module(s) \(absent) missing; cannot write the foreign HDF5 files")
            return
        }
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-foreign")
        defer { try? FileManager.default.removeItem(at: folder) }
        let other = folder.appendingPathComponent("other.h5"), future = folder.appendingPathComponent("future.h5")
        try FileManager.default.copyItem(at: c.store, to: future)
        let made = try Python.run(["-c", """
            import sys, h5py, numpy as np
            with h5py.File(sys.argv[1], "w") as f: f["x"] = np.arange(3)
            with h5py.File(sys.argv[2], "a") as f: f.attrs["schema_version"] = 99
            """, other.path, future.path])
        try #require(made.status == 0, "h5py failed: \(made.stderr)")
        for command in [["info"], ["knn"], ["project"]] {
            let extra = command == ["knn"] ? ["--segment", "0"] : []
            try expectFailure(command + [other.path] + extra, in: folder, mentions: [other.path, "not an m2ae store"])
            try expectFailure(command + [future.path] + extra, in: folder, mentions: [future.path, "schema version 99"])
        }
    }

    @Test("embed --init random on a damaged store writes no checkpoint")
    func embedDamagedStoreWritesNothing() throws {
        let (folder, truncated, _) = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectFailure(["embed", truncated.path, "--model", "new.safetensors", "--init", "random", "--config", "tiny"],
                          in: folder, mentions: [truncated.path, "truncated"])
    }

    // MARK: - Stores without the model's fingerprints

    @Test("a store without the model's fingerprints")
    func storeWithoutFingerprints() throws {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-bare")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bare = folder.appendingPathComponent("bare.h5")
        try FileManager.default.copyItem(at: c.bare, to: bare)
        try expectFailure(["knn", bare.path, "--segment", "0"], in: folder, mentions: [bare.path, "no fingerprints"])
        try expectFailure(["project", bare.path], in: folder, mentions: [bare.path, "no fingerprints"])
        try expectFailure(["predict", bare.path, "--segment", "0", "--model", c.model.path], in: folder,
                          mentions: [bare.path, "no fingerprints of model '\(c.modelID)'"])
        try expectFailure(["evaluate", "--train", bare.path, "--model", c.model.path, "--bootstrap", "10", "--no-random-baseline",
                           "--no-handcrafted", "--report", "r.md"], in: folder, mentions: [bare.path])
        try expectFailure(["knn", c.store.path, "--segment", "0", "--model-id", "0123456789ab"], in: folder,
                          mentions: [c.store.path, "0123456789ab"])
    }

    // MARK: - Wrong segment, missing checkpoint or heads

    @Test("a segment index outside the store")
    func wrongSegment() throws {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-segment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = c.store.path, n = CLICohort.segments
        for bad in ["\(n)", "-1"] {
            try expectFailure(["reconstruct", s, "--model", c.model.path, "--segment=\(bad)", "--from", "ppg"], in: folder,
                              mentions: [s, "segment \(bad) out of range"])
            try expectFailure(["knn", s, "--segment=\(bad)"], in: folder, mentions: [s, "segment \(bad) is out of range"])
            try expectFailure(["predict", s, "--segment=\(bad)", "--model", c.model.path], in: folder,
                              mentions: [s, "segment \(bad) is out of range"])
        }
    }

    @Test("a missing checkpoint, missing probe heads, a different checkpoint under --init random")
    func badCheckpoints() throws {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-ckpt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("copy.h5")
        try FileManager.default.copyItem(at: c.store, to: store)
        let absent = folder.appendingPathComponent("absent.safetensors").path
        try expectFailure(["embed", store.path, "--model", absent], in: folder, mentions: [absent, "cannot open"])
        try expectFailure(["reconstruct", store.path, "--model", absent, "--segment", "0", "--from", "ppg"], in: folder,
                          mentions: [absent, "cannot open"])
        try expectFailure(["predict", store.path, "--segment", "0", "--model", absent], in: folder,
                          mentions: [absent + ".probes.json", "no probe heads"])
        try expectFailure(["evaluate", "--train", store.path, "--model", absent, "--bootstrap", "10", "--no-random-baseline",
                           "--report", "r.md"], in: folder, mentions: [absent])
        // A checkpoint at --model that is not the one --init random would make.
        let other = folder.appendingPathComponent("other.safetensors")
        try FileManager.default.copyItem(at: c.model, to: other)
        try expectFailure(["embed", store.path, "--model", other.path, "--init", "random", "--config", "tiny", "--seed", "99"],
                          in: folder, mentions: [other.path, "is not the --init random --seed 99"])
        // A text file posing as a checkpoint.
        let junk = folder.appendingPathComponent("junk.safetensors")
        try Data("not a checkpoint".utf8).write(to: junk)
        try expectFailure(["embed", store.path, "--model", junk.path], in: folder, mentions: [junk.path])
        try expectFailure(["knn", store.path, "--segment", "0", "--method", "ivf"], in: folder, mentions: [store.path, "no saved ecg+ppg index"])
    }

    @Test("evaluate --report into a missing folder fails before fitting and writes no probe heads")
    func evaluateReportFolderMissing() throws {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-report")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("copy.h5"), model = folder.appendingPathComponent("copy.safetensors")
        try FileManager.default.copyItem(at: c.store, to: store)
        try FileManager.default.copyItem(at: c.model, to: model)
        let report = folder.appendingPathComponent("no/such/folder/table.md").path
        try expectFailure(["evaluate", "--train", store.path, "--model", model.path, "--bootstrap", "10", "--no-random-baseline",
                           "--no-handcrafted", "--report", report], in: folder, mentions: [report, "does not exist"])
    }

    // MARK: - Writers: synth, import, read

    @Test("synth into a missing folder, import and read of missing or malformed recordings")
    func writersLeaveNothing() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-cli-writers")
        defer { try? FileManager.default.removeItem(at: folder) }
        let nowhere = folder.appendingPathComponent("no/such/dir/out.h5").path
        try expectFailure(["synth", "--subjects", "2", "--segments", "1", "--out", nowhere], in: folder, mentions: [nowhere, "does not exist"])

        let out = folder.appendingPathComponent("out.h5").path
        let missing = folder.appendingPathComponent("missing.csv").path
        try expectFailure(["import", missing, "--out", out], in: folder, mentions: [missing])
        try expectFailure(["read", missing], in: folder, mentions: [missing])

        let ragged = folder.appendingPathComponent("ragged.csv")
        try Data("time,II,PLETH\n0,1,2\n0.008,1\n".utf8).write(to: ragged)
        try expectFailure(["import", ragged.path, "--out", out], in: folder, mentions: [ragged.path, "line 3"])
        try expectFailure(["read", ragged.path], in: folder, mentions: [ragged.path, "line 3"])

        let header = folder.appendingPathComponent("bad.hea")
        try Data("bad 1 125 zz\nbad.dat 999 200 16 0 0 0 0 II\n".utf8).write(to: header)
        try expectFailure(["import", header.path, "--out", out], in: folder, mentions: [header.path])
        try expectFailure(["read", header.path], in: folder, mentions: [header.path])

        // A good CSV followed by a bad one: the store is written only when every file imports.
        let good = folder.appendingPathComponent("good.csv")
        try CommandRunTests.writeCSV(good)
        try expectFailure(["import", good.path, ragged.path, "--out", out], in: folder, mentions: [ragged.path])

        // Manifests: a missing file, no path column, a bad rate, a recording that fails.
        let manifest = folder.appendingPathComponent("cohort.csv")
        let manifests: [(String, [String])] = [
            ("path,subject\ngood.csv,s1\nmissing.csv,s2\n", ["line 3", missing, "no such file"]),
            ("file,subject\ngood.csv,s1\n", ["no 'path' column"]),
            ("path,subject,rate\ngood.csv,s1,1e9\n", ["line 2", "rate 1e9 Hz is outside"]),
            ("path,subject\ngood.csv,s1\nragged.csv,s2\n", ["line 3", ragged.path, "line 3"]),
        ]
        for (text, mentions) in manifests {
            try Data(text.utf8).write(to: manifest)
            try expectFailure(["import", "--manifest", manifest.path, "--out", out], in: folder, mentions: [manifest.path] + mentions)
        }
    }

    @Test("a full disk during synth and embed: one line saying so, no crash, no temporary file left")
    func fullDisk() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-cli-full")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A 1-MB file system of its own (root only; elsewhere there is nothing to check).
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder.path]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil, { mount.waitUntilExit(); return mount.terminationStatus == 0 }() else {
            print("skipped: cannot mount a small tmpfs here (needs root) to fill a disk"); return
        }
        defer {
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [folder.path]
            try? umount.run(); umount.waitUntilExit()
        }
        let out = folder.appendingPathComponent("big.h5").path
        let r = try m2ae(["synth", "--subjects", "60", "--segments", "8", "--out", out], in: folder)
        expectOneLineError(r, mentions: [out, "No space left on device"])
        #expect(listing(folder).isEmpty, "left: \(listing(folder))")

        let c = try CLICohort.get()
        let store = folder.appendingPathComponent("s.h5")
        try FileManager.default.copyItem(at: c.bare, to: store)
        // Fill what is left, so that the first batch of fingerprints cannot be saved.
        FileManager.default.createFile(atPath: folder.appendingPathComponent("filler").path, contents: nil)
        let filler = try FileHandle(forWritingTo: folder.appendingPathComponent("filler"))
        while (try? filler.write(contentsOf: Data(count: 4096))) != nil {}
        try? filler.close()
        let e = try m2ae(["embed", store.path, "--model", c.model.path], in: folder)
        expectOneLineError(e, mentions: ["no space left on the device"])
        #expect(!e.stderr.contains("NSCocoaErrorDomain"))
    }

    // MARK: - Usage errors

    /// Usage errors (unknown mode, out-of-range option) are reported by swift-argument-parser:
    /// exit status 64 and one `Error:` line naming the option and the value.
    @Test("an unknown mode or source, an option out of range")
    func usageErrors() throws {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-usage")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [([String], [String])] = [
            (["knn", c.store.path, "--segment", "0", "--mode", "foo"], ["'foo'", "--mode"]),
            (["project", c.store.path, "--mode", "both"], ["'both'", "--mode"]),
            (["reconstruct", c.store.path, "--model", c.model.path, "--segment", "0", "--from", "eeg"], ["'eeg'", "--from"]),
            (["knn", c.store.path, "--segment", "0", "--method", "hnsw"], ["'hnsw'", "--method"]),
            (["embed", c.store.path, "--model", c.model.path, "--init", "zeros"], ["'zeros'", "--init"]),
            (["embed", c.store.path, "--model", c.model.path, "--init", "random", "--config", "huge"], ["--config", "'huge'"]),
            (["synth", "--subjects", "0", "--out", "x.h5"], ["--subjects", "got 0"]),
            (["reconstruct", c.store.path, "--model", c.model.path, "--from", "ppg"], ["--segment", "--all"]),
            (["info"], ["<store>"]),
            (["import", "a.csv", "--manifest", "m.csv", "--out", "x.h5"], ["--manifest", "not both"]),
            (["import", "--manifest", "m.csv", "--subject", "s", "--out", "x.h5"], ["--subject"]),
            (["import", "a.csv", "--rate", "1e-7", "--out", "x.h5"], ["--rate", "10–100000 Hz"]),
        ]
        for (arguments, mentions) in cases {
            let before = listing(folder)
            let r = try m2ae(arguments, in: folder)
            #expect(r.status == 64, "\(r)")
            #expect(r.stdout.isEmpty, "\(r)")
            let first = r.stderrLines.first ?? ""
            #expect(first.hasPrefix("Error: "), "\(r)")
            for m in mentions { #expect(first.contains(m), "the error line does not mention \(m): \(r)") }
            #expect(listing(folder) == before)
            #expect(r.stderrLines.count == 1, "\(r)")
        }
    }
}
