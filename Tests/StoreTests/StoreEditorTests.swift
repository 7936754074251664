import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct StoreEditorTests {
    @Test func fingerprintsProjectionsAndAttributesRoundTrip() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 20)
        let dim = 8
        let rows = (0..<20 * dim).map { Float($0) * 0.5 }
        let returned = try StoreEditor.edit(url) { e in
            #expect(e.segmentCount == 20)
            let path = StoreEdit.fingerprintPath(model: "m1", mode: .both)
            try e.createMatrix(path, rows: 20, cols: dim)
            try e.writeRows(path, start: 0, Array(rows[0..<(12 * dim)]), cols: dim)
            try e.writeRows(path, start: 12, Array(rows[(12 * dim)...]), cols: dim)
            try e.createMatrix("/models/m1/projections/pca", rows: 20, cols: 2)
            try e.writeRows("/models/m1/projections/pca", start: 5, [1, 2], cols: 2)
            try e.setAttributes("/models/m1", ["config": "{\"dim\":8}", "checkpoint_sha256": "abc"])
            try e.setAttributes("/", ["embedded_by": "test"])
            return 42
        }
        #expect(returned == 42)

        let store = try RecordStore(url: url)
        #expect(store.modelIDs == ["m1"])
        #expect(try store.fingerprintDim(model: "m1") == dim)
        #expect(try store.fingerprints(model: "m1", mode: .both, 0..<20) == rows)
        #expect(try store.fingerprints(model: "m1", mode: .both, 3..<4) == Array(rows[(3 * dim)..<(4 * dim)]))
        #expect(try store.modelAttributes("m1") == ["config": "{\"dim\":8}", "checkpoint_sha256": "abc"])
        #expect(store.attributes["embedded_by"] == "test")
        #expect(store.attributes["generator"] == "StoreTests")
        let shape = try #require(try store.matrixShape("/models/m1/projections/pca"))
        #expect(shape.rows == 20 && shape.cols == 2)
        #expect(try store.matrixShape("/models/m1/projections/umap") == nil)
        #expect(try store.children("/models/m1/projections") == ["pca"])
        let pca = try store.matrix("/models/m1/projections/pca", rows: 4..<6)
        #expect(pca[0].isNaN && pca[1].isNaN && pca[2] == 1 && pca[3] == 2)
        // Signals are untouched by the edit.
        #expect(try store.segment(7) == StoreFixtures.segment(7))
    }

    @Test func replaceAndRemove() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 4)
        let path = StoreEdit.fingerprintPath(model: "m", mode: .ecg)
        try StoreEditor.edit(url) { e in
            try e.createMatrix(path, rows: 4, cols: 3)
            try e.writeRows(path, start: 0, [Float](repeating: 1, count: 12), cols: 3)
        }
        try StoreEditor.edit(url) { e in
            try e.createMatrix(path, rows: 4, cols: 5)
            try e.remove("/models/absent")
        }
        var store = try RecordStore(url: url)
        #expect(try store.fingerprintDim(model: "m") == 5)
        #expect(try store.fingerprints(model: "m", mode: .ecg, 0..<1).allSatisfy { $0.isNaN })
        try StoreEditor.edit(url) { e in try e.remove("/models/m") }
        store = try RecordStore(url: url)
        #expect(store.modelIDs.isEmpty)
        #expect(try store.matrixShape(path) == nil)
    }
}
