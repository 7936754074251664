import Foundation
import Testing
import TestSupport
@testable import Importers
import Store

/// `LabelFile`: the labels CSV of `m2ae label`, matched to a store's subjects or records.
@Suite struct LabelFileTests {
    func write(_ text: String) throws -> (dir: URL, file: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labelfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("labels.csv")
        try Data(text.utf8).write(to: file)
        return (dir, file)
    }

    @Test func subjectsKindsAndMissingValues() throws {
        let (dir, file) = try write("subject,smoker,bmi,stage,arm\nS2,yes,24.5,3,1\nS1,no,na,1,0\nS4,,31,2,1\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let f = try LabelFile.read(file)
        #expect(f.idColumn == "subject" && f.rows.map(\.id) == ["S2", "S1", "S4"] && f.rows.map(\.line) == [2, 3, 4])
        let keys = ["S1", "S2", "S3", "S4"]
        let labels = try f.labels(scope: .subject, keys: keys, storeName: "x.h5")
        #expect(labels.map(\.name) == ["smoker", "bmi", "stage", "arm"])
        #expect(labels[0] == Label(name: "smoker", kind: .binary, scope: .subject, classes: ["no", "yes"], values: [0, 1, nil, nil]))
        #expect(labels[1] == Label(name: "bmi", kind: .numeric, scope: .subject, values: [nil, 24.5, nil, 31]))
        #expect(labels[2].kind == .numeric && labels[3].kind == .binary && labels[3].classes == ["0", "1"])
        // Overridden: the stage codes as classes in numeric order, the arm as a number.
        let over = try f.labels(scope: .subject, keys: keys, kinds: ["stage": .categorical, "arm": .numeric], storeName: "x.h5")
        #expect(over[2] == Label(name: "stage", kind: .categorical, scope: .subject, classes: ["1", "2", "3"], values: [0, 2, nil, 1]))
        #expect(over[3] == Label(name: "arm", kind: .numeric, scope: .subject, values: [0, 1, nil, 1]))
    }

    @Test func recordsSpreadOverTheirSegments() throws {
        let (dir, file) = try write("record;activity\nr1;bike\nr3;rest\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let labels = try LabelFile.read(file).labels(scope: .record, keys: ["r1", "r1", "r2", "r3", "r3", "r3"], storeName: "x.h5")
        #expect(labels == [Label(name: "activity", kind: .binary, scope: .record, classes: ["bike", "rest"], values: [0, 0, nil, 1, 1, 1])])
    }

    @Test func badInputIsOneLineNamingTheFile() throws {
        let cases: [(text: String, kinds: [String: Label.Kind], expected: String)] = [
            ("subject,x\nS1,1\nZ9,2\nZ8,3\n", [:], "2 of 3 ids match no subject of x.h5 (1 matched); the first is 'Z9' on line 3 (the store's subjects look like 'S1', 'S2')"),
            ("subject,x\nS1,1\nS2,two\n", [:], "line 3, label column 'x' mixes numbers ('1') and words ('two')"),
            ("subject,x\nS1,1\nS1,2\n", [:], "line 3: 'S1' is listed twice (also on line 2)"),
            ("subject\nS1\n", [:], "line 1: the header names no label column (the first column holds the ids, every other one is a label)"),
            ("subject,x\nS1,1,2\n", [:], "line 2 has 3 fields, the header has 2"),
            ("subject,a/b\nS1,1\n", [:], "line 1: label name 'a/b' contains '/'"),
            ("subject,x\nS1,a\nS2,b\n", ["x": .numeric], "line 2, label column 'x' 'a' is not a finite number (the label was given as numeric)"),
            ("subject,x\nS1,1\nS2,2\n", ["y": .numeric], "--kind names 'y', which is not a column (columns: x)"),
            ("subject,x\n", [:], "no rows (only a header)"),
        ]
        for c in cases {
            let (dir, file) = try write(c.text)
            defer { try? FileManager.default.removeItem(at: dir) }
            do {
                _ = try LabelFile.read(file).labels(scope: .subject, keys: ["S1", "S2"], kinds: c.kinds, storeName: "x.h5")
                Issue.record("accepted: \(c.text)")
            } catch let e as ImportError {
                #expect(e.description == "\(file.path): \(c.expected)")
            }
        }
    }
}

/// A manifest's label kinds given instead of inferred (`m2ae import --manifest … --kind`).
@Suite struct ManifestKindTests {
    @Test func kindsOverrideInference() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-kind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["a.csv", "b.csv", "c.csv"] { try Data("1,2\n".utf8).write(to: dir.appendingPathComponent(name)) }
        let manifest = dir.appendingPathComponent("m.csv")
        try Data("path,subject,level,arm\na.csv,s1,1,0\nb.csv,s2,3,1\nc.csv,s3,5,1\n".utf8).write(to: manifest)
        let inferred = try Manifest.read(manifest)
        #expect(inferred.labels.map(\.kind) == [.numeric, .binary])
        let given = try Manifest.read(manifest, kinds: ["level": .categorical, "arm": .numeric])
        #expect(given.labels.map(\.kind) == [.categorical, .numeric] && given.labels[0].classes == ["1", "3", "5"])
        #expect(given.labels[0].values == [0, 1, 2] && given.labels[1].values == [0, 1, 1])
        do {
            _ = try Manifest.read(manifest, kinds: ["nope": .numeric])
            Issue.record("an unknown --kind name was accepted")
        } catch let e as ImportError {
            #expect(e.description == "\(manifest.path): --kind names 'nope', which is not a label column (label columns: level, arm)")
        }
    }
}
