import Foundation
import Testing
import TestSupport
@testable import Store

/// The general label table (`/labels`): written by `StoreWriter.writeLabels`, read by
/// `RecordStore.labels`, summarised by `StoreSummary`, read back by h5py.
@Suite struct LabelTableTests {
    /// Ten fixture segments (subjects 0, 1, 2, 0, 1, …) and labels of every kind and scope.
    static let labels: [Label] = [
        Label(name: "activity", kind: .categorical, scope: .record, classes: ["bike", "rest", "speak"],
              values: [0, 0, 1, 1, 2, nil, 2, 0, 1, 1]),
        Label(name: "height cm", kind: .numeric, scope: .subject, values: [181.5, nil, 160]),
        Label(name: "smoker", kind: .binary, scope: .subject, classes: ["no", "yes"], values: [1, 0, nil]),
        Label(name: "level", kind: .numeric, scope: .record, values: [1, 1, 3, 3, 5, 5, nil, nil, 1, 3]),
    ]

    static func writeStore(_ url: URL, labels: [Label] = labels) throws {
        let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: ["generator": "LabelTableTests"])
        try w.append((0..<10).map(StoreFixtures.segment))
        try w.writeLabels(labels)
        try w.commit()
    }

    @Test func labelsRoundTripInNameOrder() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeStore(url)
        let store = try RecordStore(url: url)
        #expect(store.labels == Self.labels.sorted { $0.name < $1.name })
        let activity = store.labels[0]
        #expect(activity.value(segment: 4, subjectIndex: 1) == 2 && activity.className(2) == "speak")
        let height = store.labels[1]
        #expect(height.value(segment: 4, subjectIndex: 1) == nil && height.value(segment: 3, subjectIndex: 0) == 181.5)
        // A store written without labels opens with none, and so does the shipped sample
        // cohort, written by a build from before the label table.
        try StoreFixtures.write(url, count: 5)
        #expect(try RecordStore(url: url).labels == [])
        let sample = TestSupport.projectRoot.appendingPathComponent("sample-data/cohort.h5")
        let old = try RecordStore(url: sample)
        #expect(old.labels == [] && old.segmentCount > 0)
        #expect(try StoreSummary(old).labelTable.isEmpty)
    }

    @Test func h5pyReadsTheLabelTable() throws {
        if let absent = Python.missing(["h5py", "numpy"]) {
            if Python.required { Issue.record("Python modules missing: \(absent)") }
            print("skipped: Python modules missing: \(absent)"); return
        }
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeStore(url)
        let script = """
        import h5py, json, sys, math
        out = {}
        with h5py.File(sys.argv[1], "r") as f:
            for name, d in f["labels"].items():
                a = dict(d.attrs)
                out[name] = {"dtype": str(d.dtype), "kind": a["kind"], "scope": a["scope"],
                             "classes": json.loads(a["classes"]) if "classes" in a else None,
                             "values": [None if (isinstance(v, float) and math.isnan(v)) else v for v in d[()].tolist()]}
        print(json.dumps(out, sort_keys=True))
        """
        let r = try Python.run(["-c", script, url.path])
        #expect(r.status == 0, "\(r.stderr)")
        let got = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [String: Any]] ?? [:]
        #expect(Set(got.keys) == ["activity", "height cm", "smoker", "level"])
        #expect(got["activity"]?["dtype"] as? String == "int32" && got["activity"]?["scope"] as? String == "record")
        #expect(got["activity"]?["classes"] as? [String] == ["bike", "rest", "speak"])
        #expect(got["activity"]?["values"] as? [Int] == [0, 0, 1, 1, 2, -1, 2, 0, 1, 1])
        #expect(got["height cm"]?["dtype"] as? String == "float64" && got["height cm"]?["kind"] as? String == "numeric")
        #expect((got["height cm"]?["values"] as? [Any])?.count == 3 && (got["height cm"]?["values"] as? [Any])?[1] is NSNull)
        #expect(got["smoker"]?["values"] as? [Int] == [1, 0, -1] && got["smoker"]?["kind"] as? String == "binary")
    }

    @Test func summaryCountsSubjectsSegmentsAndClasses() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeStore(url)
        let s = try StoreSummary(RecordStore(url: url), sliceRows: 3)
        #expect(s.labelTable.map(\.name) == ["activity", "height cm", "level", "smoker"])
        // Segments 0…9 belong to subjects 0,1,2,0,1,2,0,1,2,0: subject 0 has 4, the others 3.
        let activity = s.labelTable[0]
        #expect(activity.kind == "categorical" && activity.scope == "record" && activity.subjects == 3 && activity.segments == 9)
        #expect(activity.classes == [.init(name: "bike", subjects: 2, segments: 3), .init(name: "rest", subjects: 2, segments: 4),
                                     .init(name: "speak", subjects: 2, segments: 2)])
        let height = s.labelTable[1]
        #expect(height.subjects == 2 && height.segments == 7 && height.min == 160 && height.max == 181.5 && height.classes.isEmpty)
        let smoker = s.labelTable[3]
        #expect(smoker.classes == [.init(name: "no", subjects: 1, segments: 3), .init(name: "yes", subjects: 1, segments: 4)])
        #expect(smoker.min == nil && smoker.max == nil)
        let lines = s.table().split(separator: "\n").map(String.init)
        #expect(lines.contains("label table    kind         scope    subjects  segments  values (segments)"), "\(lines)")
        #expect(lines.contains("  activity     categorical  record          3         9  bike 3 · rest 4 · speak 2"), "\(lines)")
        #expect(lines.contains("  height cm    numeric      subject         2         7  160 – 181.5"), "\(lines)")
        // No label table, no section.
        try StoreFixtures.write(url, count: 5)
        let bare = try StoreSummary(RecordStore(url: url))
        #expect(bare.labelTable.isEmpty && !bare.table().contains("label table"))
    }

    @Test func badLabelsAreRefusedAndNothingIsWritten() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([Label], String)] = [
            ([Label(name: "a", kind: .numeric, scope: .subject, values: [1, 2])], "label 'a' has 2 values, expected 3 (one per subject)"),
            ([Label(name: "a", kind: .numeric, scope: .record, values: [1])], "label 'a' has 1 values, expected 10 (one per segment)"),
            ([Label(name: "a/b", kind: .numeric, scope: .subject, values: [1, 2, 3])], "label name 'a/b' contains '/'"),
            ([Label(name: "", kind: .numeric, scope: .subject, values: [1, 2, 3])], "a label needs a name"),
            ([Label(name: "a", kind: .numeric, scope: .subject, values: [1, 2, 3]),
              Label(name: "a", kind: .numeric, scope: .subject, values: [1, 2, 3])], "label 'a' is given twice"),
            ([Label(name: "a", kind: .binary, scope: .subject, classes: ["x", "y"], values: [0, 2, nil])], "label 'a' has a code outside its 2 classes"),
            ([Label(name: "a", kind: .binary, scope: .subject, classes: ["x", "y", "z"], values: [0, 1, 2])], "label 'a' is binary with 3 classes (at most 2)"),
            ([Label(name: "a", kind: .numeric, scope: .subject, values: [1, .infinity, 3])], "label 'a' has a value that is not a finite number"),
        ]
        for (labels, message) in cases {
            #expect { try Self.writeStore(url, labels: labels) } throws: { "\($0)" == "\(url.path): \(message)" }
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty, "\(message)")
        }
    }

    @Test func editsCannotTouchTheLabelTable() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeStore(url)
        let before = try Data(contentsOf: url)
        for body in [{ (e: StoreEdit) in try e.remove("/labels/level") },
                     { (e: StoreEdit) in try e.createMatrix("/labels/x", rows: 10, cols: 2) }] {
            #expect { try StoreEditor.edit(url, body) } throws: {
                "\($0)".hasSuffix("is part of the record layout and cannot be replaced or removed by an edit")
            }
        }
        #expect(try Data(contentsOf: url) == before)
    }

    @Test func aDamagedLabelTableFailsToOpen() throws {
        if let absent = Python.missing(["h5py", "numpy"]) {
            if Python.required { Issue.record("Python modules missing: \(absent)") }
            print("skipped: Python modules missing: \(absent)"); return
        }
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(String, String)] = [
            ("f['labels/smoker'][1] = 7", "/labels/smoker[1] holds invalid code 7 (2 classes)"),
            ("f['labels/smoker'].attrs['kind'] = 'text'", "/labels/smoker has kind 'text', expected one of binary, categorical, numeric"),
            ("del f['labels/smoker'].attrs['scope']", "/labels/smoker has scope '', expected subject or record"),
            ("del f['labels/smoker'].attrs['classes']", "/labels/smoker has no 'classes' attribute (a JSON array of class names)"),
            ("del f['labels/level']; f['labels/level'] = [1.0, 2.0]; f['labels/level'].attrs['kind'] = 'numeric'; f['labels/level'].attrs['scope'] = 'record'",
             "/labels/level has shape [2], expected [10] (one row per segment)"),
        ]
        for (edit, message) in cases {
            try Self.writeStore(url)
            let r = try Python.run(["-c", "import h5py, sys\nwith h5py.File(sys.argv[1], 'a') as f:\n    \(edit)", url.path])
            #expect(r.status == 0, "\(r.stderr)")
            #expect { try RecordStore(url: url) } throws: { "\($0)" == "\(url.path): \(message)" }
        }
    }

    @Test func kindsAreInferredFromTheValues() throws {
        let numeric = try Label.infer(["1", "3", " 5 ", "", "NA", "2.5"])
        #expect(numeric.kind == .numeric && numeric.classes.isEmpty && numeric.values == [1, 3, 5, nil, nil, 2.5])
        let flag = try Label.infer(["0", "1", "nan", "1"])
        #expect(flag.kind == .binary && flag.classes == ["0", "1"] && flag.values == [0, 1, nil, 1])
        let words = try Label.infer(["yes", "no", "", "yes"])
        #expect(words.kind == .binary && words.classes == ["no", "yes"] && words.values == [1, 0, nil, 1])
        let activity = try Label.infer(["static", "speak", "rotate", "bike", "static"])
        #expect(activity.kind == .categorical && activity.classes == ["bike", "rotate", "speak", "static"] && activity.values == [3, 2, 1, 0, 3])
        let single = try Label.infer(["ward 3", "ward 3"])
        #expect(single.kind == .categorical && single.classes == ["ward 3"])
        #expect { try Label.infer(["1", "high", "3"]) } throws: {
            ($0 as? Label.InferenceError) == Label.InferenceError(problem: "mixes numbers ('1') and words ('high')", row: 1)
        }
        #expect { try Label.infer(["1", "inf"]) } throws: { ($0 as? Label.InferenceError)?.row == 1 && "\($0)" == "'inf' is not a finite number" }
        #expect { try Label.infer(["", "NA"]) } throws: { "\($0)" == "has no value in any row" }
        #expect { try Label.infer((0..<51).map { "c\($0)" }) } throws: {
            "\($0)" == "has 51 different words; a categorical label has at most 50 classes"
        }
    }
}
