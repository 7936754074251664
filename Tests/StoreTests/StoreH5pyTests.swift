import Foundation
import Testing
import TestSupport
@testable import Store

/// A Swift-written store read back by h5py (scripts/check_store_h5py.py): shapes, dtypes,
/// filters, attributes and values as docs/store.md documents them.
@Suite struct StoreH5pyTests {
    @Test func h5pyReadsASwiftWrittenStore() throws {
        if let absent = Python.missing(["h5py", "numpy"]) {
            if Python.required { Issue.record("Python modules missing: \(absent)") }
            print("skipping h5py check: Python modules missing: \(absent)")
            return
        }
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let attributes = ["generator": "StoreH5pyTests", "command": "m2ae synth --n 70 ✓"]
        try StoreFixtures.write(url, count: 70, attributes: attributes)
        let fp = StoreEdit.fingerprintPath(model: "m2ae-base", mode: .both)
        try StoreEditor.edit(url) { e in
            try e.createMatrix(fp, rows: 70, cols: 4)
            try e.writeRows(fp, start: 2, [0.25, -1, 3e-8, 7], cols: 4)
            try e.setAttributes("/models/m2ae-base", ["checkpoint_sha256": "00ff"])
        }

        func floats(_ v: [Float]) -> [Double?] { v.map { $0.isNaN ? nil : Double($0) } }
        func meta(_ m: SegmentMeta) -> [String: Any] {
            ["subject": Int(m.subjectIndex), "record": m.record, "start": m.start, "ecg_rate": m.ecgOriginalRate,
             "ppg_rate": m.ppgOriginalRate, "ecg_quality": Int(m.ecgQuality.rawValue), "ppg_quality": Int(m.ppgQuality.rawValue),
             "ppg_delay": m.ppgDelay.map { $0 as Any } ?? NSNull()]
        }
        func subject(_ s: Subject) -> [String: Any] {
            let l = s.labels
            func code(_ b: Bool?) -> Int { b.map { $0 ? 1 : 0 } ?? -1 }
            return ["id": s.id, "age": l.age.map(Double.init) as Any, "sbp": l.systolic.map(Double.init) as Any,
                    "dbp": l.diastolic.map(Double.init) as Any, "sex": Int(l.sex?.rawValue ?? -1),
                    "hypertension": code(l.hypertension), "ecg_class": Int(l.ecgClass?.rawValue ?? -1),
                    "ppg_class": Int(l.ppgClass?.rawValue ?? -1), "mortality": code(l.mortality)]
        }
        let picks = [0, 5, 63, 64, 69]
        let expect: [String: Any] = [
            "segments": 70, "subjects": StoreFixtures.subjects.count, "attributes": attributes,
            "samples": Dictionary(uniqueKeysWithValues: picks.map { i in
                (String(i), ["ecg": floats(StoreFixtures.segment(i).ecg), "ppg": floats(StoreFixtures.segment(i).ppg)]) }),
            "meta": Dictionary(uniqueKeysWithValues: picks.map { (String($0), meta(StoreFixtures.segment($0).meta)) }),
            "subject_rows": Dictionary(uniqueKeysWithValues: StoreFixtures.subjects.enumerated().map { (String($0.offset), subject($0.element)) }),
            "matrices": [fp: ["shape": [70, 4], "rows": ["2": floats([0.25, -1, 3e-8, 7]), "3": [nil, nil, nil, nil] as [Double?]]]],
            "group_attributes": ["/models/m2ae-base": ["checkpoint_sha256": "00ff"]],
        ]
        let expectURL = dir.appendingPathComponent("expect.json")
        try JSONSerialization.data(withJSONObject: expect).write(to: expectURL)
        let out = try Python.script("scripts/check_store_h5py.py", [url.path, expectURL.path])
        #expect(out.hasPrefix("store OK: 70 segments, 3 subjects"))
    }
}
