import Foundation
import Testing
import TestSupport
@testable import Store

/// Writers and edits never leave half-written stores or temporary files behind.
@Suite struct StoreAtomicityTests {
    @Test func uncommittedWriterLeavesNothing() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: [:])
            try w.append((0..<70).map(StoreFixtures.segment))
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 1)   // the temp file
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func uncommittedWriterLeavesTheExistingStoreAlone() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 5)
        let before = try Data(contentsOf: url)
        do {
            let w = try StoreWriter(url: url, subjects: [], attributes: [:])
            _ = w
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [url.lastPathComponent])
    }

    @Test func commitReplacesAnOpenStoreWithoutDisturbingItsReader() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 5)
        let old = try RecordStore(url: url)
        try StoreFixtures.write(url, count: 9)
        #expect(try old.segment(4) == StoreFixtures.segment(4))
        #expect(old.segmentCount == 5)
        #expect(try RecordStore(url: url).segmentCount == 9)
    }

    @Test func throwingEditLeavesTheOriginalByteIdentical() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 30)
        let before = try Data(contentsOf: url)
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try StoreEditor.edit(url) { e in
                try e.createMatrix(StoreEdit.fingerprintPath(model: "m", mode: .both), rows: 30, cols: 16)
                try e.writeRows(StoreEdit.fingerprintPath(model: "m", mode: .both), start: 0,
                                [Float](repeating: 1, count: 16), cols: 16)
                try e.setAttributes("/models/m", ["config": "{}"])
                throw Interrupted()
            }
        }
        #expect(try Data(contentsOf: url) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [url.lastPathComponent])
        #expect(try RecordStore(url: url).modelIDs.isEmpty)
    }
}
