import Foundation
import Testing
import TestSupport
import Signals
import Store
@testable import Importers

/// The importer measures each record's ECG → PPG delay (`Signals.DeviceDelay`) and stores it
/// with every segment of the record.
@Suite struct DeviceDelayImportTests {
    /// A paired CSV whose PPG upstrokes come `delay` s after narrow R peaks (RR about 0.85 s).
    static func pairedCSV(_ folder: URL, _ name: String, delay: Double, seconds: Double = 30, ppgOnly: Bool = false) throws -> URL {
        let rate = 250.0
        let beats = stride(from: 0.2, to: seconds, by: 0.85).enumerated().map { $1 + 0.05 * sin(Double($0)) }
        var text = ppgOnly ? "time,PPG\n" : "time,ECG,PPG\n"
        for i in 0..<Int(seconds * rate) {
            let t = Double(i) / rate
            var e = 0.0, p = 0.0
            for b in beats where abs(t - b) < 1.5 {
                e += exp(-0.5 * pow((t - b) / 0.012, 2))
                p += exp(-0.5 * pow((t - (b + delay + 0.08)) / 0.08, 2))
            }
            text += ppgOnly ? "\(t),\(p)\n" : "\(t),\(e),\(p)\n"
        }
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func theRecordsDelayIsStoredWithEverySegment() throws {
        let folder = try TestSupport.temporaryFolder("import-delay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let paths = [try Self.pairedCSV(folder, "finger.csv", delay: 0.52), try Self.pairedCSV(folder, "chest.csv", delay: 0.22),
                     try Self.pairedCSV(folder, "ppgonly.csv", delay: 0.3, ppgOnly: true)]
        let out = folder.appendingPathComponent("s.h5")
        let summary = try Importer.run(paths: paths, out: out, options: Importer.Options())
        let delays = summary.records.map(\.ppgDelay)
        #expect(abs(try #require(delays[0]) - 0.52) <= 1.0 / 125 + 1e-9)
        #expect(abs(try #require(delays[1]) - 0.22) <= 1.0 / 125 + 1e-9)
        #expect(delays[2] == nil)
        let store = try RecordStore(url: out)
        #expect(store.hasPPGDelays && store.segmentCount == 9)
        let stored = try store.ppgDelays(0..<9)
        #expect(stored == [delays[0], delays[0], delays[0], delays[1], delays[1], delays[1], nil, nil, nil])
        #expect(try store.meta(0..<9).map(\.ppgDelay) == stored)
    }

    /// Every real record with ECG and PPG: the delay the importer stored equals, within one
    /// sample at 125 Hz, the median over the record's clean segments of
    /// scripts/device_differences.py's measure (scipy's filters and peak finder, numpy).
    @Test func realRecordsAgreeWithThePythonMeasure() throws {
        guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
        if let missing = Python.missing(["scipy", "numpy", "h5py"]) {
            if Python.required { Issue.record("Python modules missing: \(missing)") }
            print("skipped: Python modules missing: \(missing)"); return
        }
        let folder = try TestSupport.temporaryFolder("import-delay-real")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ncku = real.appendingPathComponent("csv/ncku")
        var text = "path,subject,ecg,ppg,rate\n"
        for f in try FileManager.default.contentsOfDirectory(atPath: ncku.path).filter({ $0.hasSuffix(".csv") }).sorted() {
            text += "\(ncku.path)/\(f),\(f.split(separator: "_")[0]),3,2,50\n"
        }
        text += """
        \(real.path)/wfdb/a103l,a103l,,,
        \(real.path)/wfdb/v102s,v102s,,,
        \(real.path)/mat/mimic_perform_1min_normal.mat,p097547,,,
        \(real.path)/mat/ecgkit_example_recording.mat,ecgkit,,,
        \(real.path)/csv/neurokit_bio_resting_5min_100hz.csv,neurokit,ECG,PPG,100
        \(real.path)/csv/pyphysio_medical_2048hz.tsv,pyphysio,0,2,2048

        """
        let manifest = folder.appendingPathComponent("real.csv")
        try Data(text.utf8).write(to: manifest)
        let out = folder.appendingPathComponent("real.h5")
        let summary = try Importer.run(manifest: try Manifest.read(manifest), out: out, options: Importer.Options())
        let oracle = """
        import json, sys
        sys.path.insert(0, "scripts")
        import h5py, numpy as np
        from device_differences import segment_measures
        out = {}
        with h5py.File(sys.argv[1], "r") as f:
            seg = f["segments"]
            record = [r.decode() if isinstance(r, bytes) else r for r in seg["record"][:]]
            ok = (seg["ecg_quality"][:] == 0) & (seg["ppg_quality"][:] == 0)
            for r in dict.fromkeys(record):
                d = [segment_measures(f["signals/ecg"][i], f["signals/ppg"][i])[1] for i in range(len(record)) if record[i] == r and ok[i]]
                d = [x for x in d if x is not None]
                out[r] = float(np.median(d)) / 1000 if d else None
        print(json.dumps(out))
        """
        let result = try Python.run(["-c", oracle, out.path])
        try #require(result.status == 0, "\(result.stderr)")
        let python = try JSONDecoder().decode([String: Double?].self, from: Data(result.stdout.utf8))
        #expect(python.count == summary.records.count)
        var measured = 0
        for r in summary.records {
            let expected = try #require(python[r.record])
            #expect((expected == nil) == (r.ppgDelay == nil), "\(r.record): python \(String(describing: expected)), swift \(String(describing: r.ppgDelay))")
            if let e = expected, let s = r.ppgDelay {
                #expect(abs(e - s) <= 1.0 / 125 + 1e-9, "\(r.record): python \(e) s, swift \(s) s")
                measured += 1
            }
        }
        // The ICU monitor, the finger oximeters and the wrist devices all measured; v102s (its
        // leads wrap around in every segment) has no clean segment.
        #expect(measured >= 50)
        #expect(summary.records.first { $0.record == "v102s" }?.ppgDelay == nil)
    }
}
