import Foundation
import Testing
import TestSupport
@testable import Store

/// `StoreEdit.setLabel`: labels added to an existing store, checked like written ones, and
/// nothing changed when a label is refused.
@Suite struct StoreEditLabelTests {
    @Test func addReplaceAndRefuse() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 10)
        let smoker = Label(name: "smoker", kind: .binary, scope: .subject, classes: ["no", "yes"], values: [1, nil, 0])
        let level = Label(name: "level", kind: .numeric, scope: .record, values: (0..<10).map { $0 == 3 ? nil : Double($0) })
        try StoreEditor.edit(url) { e in
            try e.setLabel(smoker, replace: false)
            try e.setLabel(level, replace: false)
        }
        #expect(try RecordStore(url: url).labels == [level, smoker])

        // Same name without replace: refused, and the file is byte-identical.
        let before = try Data(contentsOf: url)
        let other = Label(name: "smoker", kind: .numeric, scope: .subject, values: [1, 2, 3])
        #expect(throws: StoreError.self) { try StoreEditor.edit(url) { try $0.setLabel(other, replace: false) } }
        do { try StoreEditor.edit(url) { try $0.setLabel(other, replace: false) } } catch {
            #expect("\(error)" == "\(url.path): a label named 'smoker' already exists; pass --replace to replace it")
        }
        #expect(try Data(contentsOf: url) == before)

        // A label of the wrong length, or with a code outside its classes, is refused whole:
        // the good label before it in the same edit is not written either.
        let short = Label(name: "bmi", kind: .numeric, scope: .subject, values: [20, 21])
        let badCode = Label(name: "stage", kind: .categorical, scope: .record, classes: ["a", "b"], values: Array(repeating: 2, count: 10))
        for bad in [short, badCode] {
            #expect(throws: StoreError.self) {
                try StoreEditor.edit(url) { e in
                    try e.setLabel(Label(name: "fine", kind: .numeric, scope: .subject, values: [1, 2, 3]), replace: false)
                    try e.setLabel(bad, replace: false)
                }
            }
            #expect(try Data(contentsOf: url) == before)
        }

        // With replace the new label takes the old one's place, kind and all.
        try StoreEditor.edit(url) { try $0.setLabel(other, replace: true) }
        #expect(try RecordStore(url: url).labels == [level, other])
    }
}
