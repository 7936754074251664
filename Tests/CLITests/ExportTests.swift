import Foundation
import Testing
import TestSupport

/// `m2ae export`: a fingerprint-only store that knn, project, predict and evaluate read, with
/// pseudonymised ids (checked by h5py and Python's hmac), CSV and .npy (checked by numpy), and
/// an existing output refused without --force.
@Suite("m2ae export")
struct ExportTests {
    @Test func exportStoreCSVAndNPY() throws {
        let (folder, store, model) = try UserLabelTests.scratch()
        let share = folder.appendingPathComponent("share.h5")
        let labels = folder.appendingPathComponent("labels.csv")
        try Data(("subject,smoker\n" + UserLabelTests.ids.enumerated().map { "\($1),\($0 % 2 == 0 ? "yes" : "no")\n" }.joined()).utf8).write(to: labels)
        try m2aeSucceeds(["label", store.path, labels.path, "--by", "subject"])
        let made = try m2aeSucceeds(["export", store.path, "--model", model.path, "--out", share.path, "--pseudonymise", "pepper"])
        #expect(made.stdout.contains("no waveforms, ids pseudonymised"), "\(made)")
        // Refused over an existing file (byte-identical), replaced with --force.
        let before = try Data(contentsOf: share)
        let again = try m2ae(["export", store.path, "--model", model.path, "--out", share.path])
        #expect(again.status == 1 && again.stderrLines == ["Error: \(share.path): already exists; pass --force to replace it"], "\(again)")
        #expect(try Data(contentsOf: share) == before)
        try m2aeSucceeds(["export", store.path, "--model", model.path, "--out", share.path, "--pseudonymise", "pepper", "--force"])
        #expect(try Data(contentsOf: share) == before, "the same export is the same bytes")

        // The commands that need no waveforms work on it; read says there are none.
        try m2aeSucceeds(["knn", share.path, "--segment", "0", "-k", "3"])
        let evaluation = try m2aeSucceeds(["evaluate", "--train", share.path, "--model", model.path, "--bootstrap", "10", "--task", "hypertension", "--json"])
        #expect((evaluation.jsonObject?["notes"] as? [String])?.contains { $0.hasPrefix("no waveforms") } == true, "\(evaluation)")
        try m2aeSucceeds(["predict", share.path, "--segment", "0", "--model", model.path])
        try m2aeSucceeds(["project", share.path])
        let embed = try m2ae(["embed", share.path, "--model", model.path, "--force"])
        #expect(embed.status == 1 && embed.stderrLines.count == 1 && embed.stderr.contains("no waveforms in this store"), "\(embed)")

        if let absent = Python.missing(["h5py", "numpy"]) {
            if Python.required { Issue.record("Python modules missing: \(absent)") }
            print("skipped: Python modules missing: \(absent)"); return
        }
        let npy = folder.appendingPathComponent("fp.npy"), csv = folder.appendingPathComponent("fp.csv")
        try m2aeSucceeds(["export", store.path, "--model", model.path, "--out", npy.path, "--format", "npy", "--mode", "ppg"])
        try m2aeSucceeds(["export", store.path, "--model", model.path, "--out", csv.path, "--format", "csv", "--pseudonymise", "pepper"])
        let check = try Python.run(["-c", """
        import h5py, numpy as np, hmac, hashlib, csv, sys
        src, share, npy, ids, table = sys.argv[1:6]
        def p(kind, x): return kind[0] + "-" + hmac.new(b"pepper", (kind + ":" + x).encode(), hashlib.sha256).hexdigest()[:16]
        with h5py.File(src, "r") as a, h5py.File(share, "r") as b:
            assert "signals" not in b and b.attrs["waveforms"] == "none", list(b)
            assert b"pepper" not in open(share, "rb").read()
            sid = [p("subject", x.decode()) for x in a["subjects/id"][()]]
            assert [x.decode() for x in b["subjects/id"][()]] == sid
            assert [x.decode() for x in b["segments/record"][()]] == [p("record", x.decode()) for x in a["segments/record"][()]]
            m = list(a["models"])[0]
            for mode in ("ecg+ppg", "ecg", "ppg"):
                k = f"models/{m}/fingerprints/{mode}"
                assert np.array_equal(a[k][()], b[k][()], equal_nan=True), mode
            assert np.array_equal(a["subjects/age"][()], b["subjects/age"][()], equal_nan=True)
            assert list(b["labels"]) == ["smoker"] and np.array_equal(a["labels/smoker"][()], b["labels/smoker"][()])
            x = np.load(npy)
            assert x.dtype == np.float32 and np.array_equal(x, a[f"models/{m}/fingerprints/ppg"][()], equal_nan=True)
            rows = list(csv.DictReader(open(ids)))
            assert [r["record"] for r in rows] == [s.decode() for s in a["segments/record"][()]]
            rows = list(csv.reader(open(table)))
            f = np.array([[float(v) for v in r[4:]] for r in rows[1:]], dtype=np.float32)
            assert np.array_equal(f, a[f"models/{m}/fingerprints/ecg+ppg"][()], equal_nan=True)
            assert [r[1] for r in rows[1:]] == [sid[i] for i in a["segments/subject"][()]]
        print("ok")
        """, store.path, share.path, npy.path, folder.appendingPathComponent("fp.ids.csv").path, csv.path])
        #expect(check.status == 0 && check.stdout == "ok\n", "\(check.stderr)")
    }
}
