import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct AtomicReplaceTests {
    @Test func failedWriteLeavesPreviousFileIntact() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("a.bin")
        try AtomicReplace.write(Data("old".utf8), to: url)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicReplace.write(to: url) { tmp in
                try Data("half".utf8).write(to: tmp)
                throw Boom()
            }
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["a.bin"])
    }

    @Test func copyStartsFromPreviousContents() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("s.bin")
        try AtomicReplace.write(Data("abc".utf8), to: url)
        try AtomicReplace.write(to: url, startFromCopy: true) { tmp in
            let h = try FileHandle(forUpdating: tmp)
            try h.seekToEnd(); try h.write(contentsOf: Data("def".utf8)); try h.close()
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "abcdef")
    }

    /// The temporary files being written are tracked while the write runs (what the HDF5
    /// crash guard unlinks before it exits), and forgotten once it ends.
    @Test func temporaryFilesInFlightAreTrackedWhileWritten() throws {
        let dir = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("s.h5")
        // (Other tests write at the same time in this process, so this one only looks at its
        // own files and never calls unlinkAll, which would remove theirs.)
        let writer = try StoreWriter(url: url, subjects: [], attributes: [:])
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names.count == 1 && names[0].hasPrefix(".s.h5.tmp-"))
        let temporary = dir.appendingPathComponent(names[0]).path
        #expect(AtomicReplace.InFlight.tracked.contains(temporary))
        try writer.commit()
        #expect(!AtomicReplace.InFlight.tracked.contains(temporary))
        // A finished atomic write is no longer tracked either.
        try AtomicReplace.write(Data("done".utf8), to: dir.appendingPathComponent("a.bin"))
        #expect(!AtomicReplace.InFlight.tracked.contains { $0.hasPrefix(dir.path + "/.a.bin.tmp-") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a.bin", "s.h5"])
    }
}
