import Foundation
import Testing
import TestSupport
@testable import Store

/// Every kind of bad input gives one clear `StoreError` naming the file, never a crash.
@Suite struct StoreBadInputTests {
    /// The error thrown by `body`, which must be a StoreError.
    private func storeError(_ body: () throws -> Void) -> StoreError? {
        do { try body() } catch let e as StoreError { return e } catch { Issue.record("not a StoreError: \(error)") }
        return nil
    }

    @Test func missingFile() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let e = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e.description == "\(url.path): no such file")
    }

    @Test func notAnHDF5File() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("ecg,ppg\n1,2\n".utf8).write(to: url)
        let e = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e.path == url.path)
        #expect(e.problem.hasPrefix("not an HDF5 file"))
    }

    @Test func truncatedFile() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 100)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        let e = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e.path == url.path)
        #expect(e.problem.hasPrefix("damaged or truncated HDF5 file"))
        #expect(e.problem.contains("truncated"))
    }

    @Test func hdf5FileThatIsNotAStore() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try H5File(url, mode: .create).groupCreating("/data")
        let e = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e.description.hasPrefix("\(url.path): an HDF5 file but not an m2ae store"))

        try StoreFixtures.write(url.appendingPathExtension("2"), count: 1)
        let other = url.appendingPathExtension("2")
        try setRootAttribute(other) { try $0.set("format", "something-else") }
        let e2 = try #require(storeError { _ = try RecordStore(url: other) })
        #expect(e2.problem.contains("format is 'something-else'"))
    }

    @Test func anotherSchemaVersion() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 3)
        try setRootAttribute(url) { try $0.set("schema_version", Int32(2)) }
        let e = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e.path == url.path)
        #expect(e.problem.hasPrefix("store schema version 2, this build reads version 1"))
        // Editing refuses it too, and leaves it alone.
        let before = try Data(contentsOf: url)
        let e2 = try #require(storeError { try StoreEditor.edit(url) { _ in } })
        #expect(e2 == e)
        #expect(try Data(contentsOf: url) == before)
    }

    @Test func missingDatasetAndWrongShape() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 3)
        try withFile(url) { try $0.unlink("/segments/start") }
        let e = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e.description == "\(url.path): missing dataset /segments/start")

        try StoreFixtures.write(url, count: 3)
        try withFile(url) { f in try H5Dataset.open(f, "/segments/ppg_quality").setRows(2) }
        let e2 = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e2.problem == "/segments/ppg_quality has shape [2], expected [3] (one row per segment)")

        try StoreFixtures.write(url, count: 3)
        try withFile(url) { f in
            try f.unlink("/segments/record")
            _ = try H5Dataset.create(f, "/segments/record", type: H5Type.int32, dims: [3], chunkRows: 4,
                                     compression: .none, fill: Int32(0))
        }
        let e3 = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e3.problem == "/segments/record holds numbers, expected strings")
    }

    @Test func invalidLabelCode() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 1)
        try withFile(url) { f in try H5Dataset.open(f, "/subjects/ecg_class").write([Int8(9)], at: 1, rows: 1, as: H5Type.int8) }
        let e = try #require(storeError { _ = try RecordStore(url: url) })
        #expect(e.problem == "/subjects/ecg_class[1] holds invalid code 9")
    }

    @Test func outOfRangeReads() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 10)
        let store = try RecordStore(url: url)
        let e = try #require(storeError { _ = try store.meta(8..<11) })
        #expect(e.description == "\(url.path): segments 8..<11 out of range (the store has 10)")
        #expect(storeError { _ = try store.signals(.ppg, -1..<2) }?.problem == "segments -1..<2 out of range (the store has 10)")
        #expect(storeError { _ = try store.segment(10) }?.problem == "segments 10..<11 out of range (the store has 10)")
        #expect(storeError { _ = try store.fingerprints(model: "nope", mode: .ecg, 0..<1) }?.problem
                == "no ecg fingerprints of model 'nope' (run `m2ae embed`)")
        #expect(storeError { _ = try store.fingerprintDim(model: "nope") } != nil)
        #expect(storeError { _ = try store.modelAttributes("nope") }?.problem == "no model 'nope' in this store")
        #expect(storeError { _ = try store.matrix("/models/x/y", rows: 0..<1) }?.problem == "missing dataset /models/x/y")
        #expect(storeError { _ = try store.matrixShape("/segments/start") }?.problem == "/segments/start is 1-D, expected a 2-D matrix")
        #expect(storeError { _ = try store.matrix("/signals/ecg", rows: 9..<12) }?.problem
                == "rows 9..<12 out of range for /signals/ecg (10 rows)")
        // The store still works after the refused reads.
        #expect(try store.segment(9) == StoreFixtures.segment(9))
    }

    @Test func badSegmentsAreRefusedByTheWriter() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: [:])
        var short = StoreFixtures.segment(0)
        short.ecg.removeLast()
        #expect(storeError { try w.append([StoreFixtures.segment(0), short]) }?.description
                == "\(url.path): segment 1: 1249 ECG and 1250 PPG samples, expected 1250 each")
        var orphan = StoreFixtures.segment(0)
        orphan.meta.subjectIndex = 3
        #expect(storeError { try w.append([orphan]) }?.problem == "segment 0: subject index 3 out of range (3 subjects)")
        #expect(storeError { _ = try StoreWriter(url: url, subjects: [], attributes: ["format": "x"]) }?.problem
                == "root attribute 'format' is reserved by the store layout")
        try w.append([StoreFixtures.segment(0)])
        try w.commit()
        #expect(try RecordStore(url: url).segmentCount == 1)
        #expect(storeError { try w.append([StoreFixtures.segment(1)]) } != nil)
    }

    @Test func writerIntoAMissingFolderNamesTheTarget() throws {
        let (dir, _) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("no/such/folder/s.h5")
        let e = try #require(storeError { _ = try StoreWriter(url: url, subjects: [], attributes: [:]) })
        #expect(e.description == "\(url.path): cannot create the store: folder \(dir.path)/no/such/folder does not exist")
        // A folder that exists but cannot be written: HDF5's failure, reported against the target.
        let locked = dir.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked.path) }
        if access(locked.path, W_OK) != 0 {   // root can write anywhere: then there is nothing to check
            let target = locked.appendingPathComponent("s.h5")
            let e2 = try #require(storeError { _ = try StoreWriter(url: target, subjects: [], attributes: [:]) })
            #expect(e2.path == target.path)
            #expect(e2.problem.hasPrefix("could not create the file"))
        }
    }

    @Test func editsCannotTouchTheRecordLayout() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 2)
        let before = try Data(contentsOf: url)
        let e = try #require(storeError { try StoreEditor.edit(url) { try $0.remove("/signals/ecg") } })
        #expect(e.description == "\(url.path): /signals/ecg is part of the record layout and cannot be replaced or removed by an edit")
        let e2 = try #require(storeError { try StoreEditor.edit(url) { e in
            try e.createMatrix("/models/m/fingerprints/ecg", rows: 2, cols: 4)
            try e.writeRows("/models/m/fingerprints/ecg", start: 1, [Float](repeating: 0, count: 8), cols: 4)
        } })
        #expect(e2.description == "\(url.path): rows 1..<3 out of range for /models/m/fingerprints/ecg (2 rows)")
        #expect(storeError { try StoreEditor.edit(url) { try $0.setAttributes("/", ["schema_version": "9"]) } }?.problem
                == "root attribute 'schema_version' is reserved by the store layout")
        #expect(try Data(contentsOf: url) == before)
    }

    // MARK: - Helpers

    private func withFile(_ url: URL, _ body: (H5File) throws -> Void) throws {
        try body(H5File(url, mode: .readWrite))
    }

    private func setRootAttribute(_ url: URL, _ body: (H5Attributes) throws -> Void) throws {
        try withFile(url) { f in try body(H5Attributes(context: f.context, object: f.object("/"), path: "/")) }
    }
}

/// A store stays readable while another open file description holds an flock on it (another
/// process, or a child that inherited a descriptor): the store takes no HDF5 file locks.
@Suite struct StoreLockTests {
    @Test func opensWhileAnotherDescriptionHoldsAnExclusiveLock() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 5)
        let fd = open(url.path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let store = try RecordStore(url: url)
        #expect(store.segmentCount == 5)
        try StoreEditor.edit(url) { e in try e.createMatrix("/models/m1/fingerprints/both", rows: 5, cols: 4) }
        #expect(try RecordStore(url: url).segmentCount == 5)
    }

    @Test func aLockConflictIsNotReportedAsDamage() {
        let url = URL(fileURLWithPath: "/tmp/x.h5")
        let locked = H5File.openFailure(url, hdf5Message: "unable to lock file, errno = 11, error message = 'Resource temporarily unavailable'")
        #expect(locked == .locked(path: url.path))
        #expect(locked.problem.hasPrefix("in use by another process") && !locked.problem.contains("damaged"))
        let denied = H5File.openFailure(url, hdf5Message: "unable to open file: name = 'x', errno = 13, error message = 'Permission denied'")
        #expect(denied == .failed(path: url.path, problem: "permission denied"))
        guard case .damaged(_, let problem) = H5File.openFailure(url, hdf5Message: "truncated file: eof = 10") else {
            Issue.record("a truncated file is damage"); return
        }
        #expect(problem.hasPrefix("damaged or truncated HDF5 file"))
    }

    /// A caller can tell a missing store from a damaged one without reading the message: the
    /// kind of retry loop a script around `m2ae` would write.
    @Test func callersBranchOnMissingDamagedAndFailed() throws {
        let (folder, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func open() -> String {
            do { _ = try RecordStore(url: url); return "opened" } catch let e as StoreError {
                switch e {
                case .missing: return "create it"
                case .locked: return "wait"
                case .damaged: return "restore a copy"
                case .failed: return "report"
                }
            } catch { return "other" }
        }
        #expect(open() == "create it")
        try Data("not a store at all, but long enough to be read".utf8).write(to: url)
        #expect(open() == "restore a copy")
        let moved = StoreError.damaged(path: "/tmp/.tmp-x.h5", problem: "p").at(url)
        #expect(moved == .damaged(path: url.path, problem: "p") && moved.description == "\(url.path): p")
        #expect(StoreError.missing(path: url.path).description == "\(url.path): no such file")
    }
}

/// Rows no store can hold are refused on open, naming the dataset and the row (regression
/// cases from mutation fuzzing: `info` miscounted and `knn` crashed on such stores).
@Suite struct StoreValidationTests {
    private func problem(_ url: URL) -> String? {
        do { _ = try RecordStore(url: url); return nil } catch let e as StoreError { return e.problem } catch { return "\(error)" }
    }

    private func patched<T: BitwiseCopyable>(_ path: String, row: Int, _ value: T, as type: Int64) throws -> URL {
        let (_, url) = try StoreFixtures.folder()
        try StoreFixtures.write(url, count: 10)
        try H5Dataset.open(H5File(url, mode: .readWrite), path).write([value], at: row, rows: 1, as: type)
        return url
    }

    @Test func subjectIndexOutsideTheTable() throws {
        for bad: Int32 in [-1, 3, 4, .max] {
            let url = try patched("/segments/subject", row: 7, bad, as: H5Type.int32)
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            #expect(problem(url) == "/segments/subject row 7: subject index \(bad) is outside the subject table (3 subjects)")
        }
    }

    @Test func nonFiniteOrNegativeStartsAndRates() throws {
        for (path, value) in [("/segments/start", Double.nan), ("/segments/start", -10), ("/segments/ecg_rate", .infinity),
                              ("/segments/ppg_rate", -125)] {
            let url = try patched(path, row: 2, value, as: H5Type.float64)
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            let p = try #require(problem(url))
            #expect(p.hasPrefix("\(path) row 2: ") && p.hasSuffix("is not a finite non-negative number"), "\(p)")
        }
    }

    @Test func deviceDelaysOutsideWhatIsMeasured() throws {
        for bad in [5.0, -0.3, Double.infinity] {
            let url = try patched("/segments/ppg_delay", row: 7, bad, as: H5Type.float64)
            defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
            #expect(problem(url) == "/segments/ppg_delay row 7: device delay \(bad) s is outside 0.1–0.8 s, where delays are measured")
        }
        // The writer refuses one too, naming the segment.
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: [:])
        var s = StoreFixtures.segment(1)
        s.meta.ppgDelay = 2
        #expect { try w.append([StoreFixtures.segment(0), s]) } throws: { "\($0)".hasSuffix("segment 1: device delay 2.0 s is outside 0.1–0.8 s, where delays are measured") }
    }

    @Test func undefinedQualityBits() throws {
        let url = try patched("/segments/ecg_quality", row: 9, UInt8(64), as: H5Type.uint8)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(problem(url) == "/segments/ecg_quality row 9: quality byte 64 sets undefined flag bits (defined: 63)")
    }

    @Test func fingerprintWidthsAgainstTheModel() throws {
        for cols in [1, 129, 100_000] {
            let (dir, url) = try StoreFixtures.folder()
            defer { try? FileManager.default.removeItem(at: dir) }
            try StoreFixtures.write(url, count: 4)
            try StoreEditor.edit(url) { e in
                try e.setAttributes("/models/m1", ["fingerprint_dim": "128"])
                try e.createMatrix(StoreEdit.fingerprintPath(model: "m1", mode: .both), rows: 4, cols: cols)
            }
            #expect(problem(url) == "/models/m1/fingerprints/ecg+ppg is \(cols) wide, the model's fingerprints are 128 wide")
        }
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 4)
        try StoreEditor.edit(url) { e in
            try e.createMatrix(StoreEdit.fingerprintPath(model: "m1", mode: .both), rows: 4, cols: 8)
            try e.createMatrix(StoreEdit.fingerprintPath(model: "m1", mode: .ecg), rows: 3, cols: 8)
        }
        #expect(problem(url) == "/models/m1/fingerprints/ecg has shape [3, 8], expected [4, fingerprint width]")
    }

    /// A subject table that claims 2,097,156 rows it does not store is refused before any of
    /// them is read (it took 3.3 GB before the shape error).
    @Test func claimedRowsThatAreNotStored() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 4)
        do {
            let file = try H5File(url, mode: .readWrite)
            for p in ["/subjects/id", "/subjects/age", "/subjects/sex", "/subjects/sbp", "/subjects/dbp", "/subjects/hypertension",
                  "/subjects/ecg_class", "/subjects/ppg_class", "/subjects/mortality"] {
                try H5Dataset.open(file, p).setRows(2_097_156)
            }
        }
        let p = try #require(problem(url))
        #expect(p.hasPrefix("/subjects/") && p.contains("announces 2097156 rows but stores data for"), "\(p)")

        try StoreFixtures.write(url, count: 4)
        do {
            let again = try H5File(url, mode: .readWrite)
            for c in ["subject", "record", "start", "ecg_rate", "ppg_rate", "ecg_quality", "ppg_quality", "ppg_delay"] {
                try H5Dataset.open(again, "/segments/" + c).setRows(1 << 40)
            }
            for m in ["ecg", "ppg"] { try H5Dataset.open(again, "/signals/" + m).setRows(1 << 40) }
        }
        let q = try #require(problem(url))
        #expect(q.hasPrefix("/segments/") && q.contains("announces 1099511627776 rows"), "\(q)")
    }
}

/// What killed runs leave behind, and stores that must not be edited.
@Suite struct StoreLeftoverTests {
    /// A process id that names no running process.
    private func deadPID() -> pid_t {
        var pid: pid_t = 4_000_000
        while kill(pid, 0) == 0 || errno != ESRCH { pid += 1 }
        return pid
    }

    @Test func temporaryFilesOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = url.lastPathComponent
        let dead = dir.appendingPathComponent(".\(name).tmp-\(deadPID())-12345")
        let live = dir.appendingPathComponent(".\(name).tmp-\(getpid())-777")
        let other = dir.appendingPathComponent(".other.h5.tmp-\(deadPID())-1")
        let unrelated = dir.appendingPathComponent(".\(name).tmp-notapid")
        for f in [dead, live, other, unrelated] { FileManager.default.createFile(atPath: f.path, contents: Data([1])) }
        let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: [:])
        #expect(w.removedLeftovers == [dead])
        try w.commit()
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(Set(left) == Set([live, other, unrelated].map(\.lastPathComponent) + [name]))
    }

    @Test func aReadOnlyStoreIsNotEdited() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 2)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
        let before = try Data(contentsOf: url)
        #expect { try StoreEditor.edit(url) { try $0.createMatrix("/models/m/fingerprints/ecg", rows: 2, cols: 4) } } throws: {
            "\($0)" == "\(url.path): the store is read-only; make it writable (chmod u+w) to add to it"
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [url.lastPathComponent])
    }
}
