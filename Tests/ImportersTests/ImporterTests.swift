import Foundation
import Testing
import TestSupport
import Store
@testable import Importers

/// A CSV recording of `seconds` at `rate` Hz with the given columns (values from `f(column, t)`).
private func csv(_ folder: URL, _ name: String, columns: [String], rate: Double, seconds: Double,
                 _ f: (Int, Double) -> Double) throws -> URL {
    var text = "time," + columns.joined(separator: ",") + "\n"
    for i in 0..<Int(rate * seconds) {
        let t = Double(i) / rate
        text += "\(t)," + columns.indices.map { c in let v = f(c, t); return v.isNaN ? "nan" : "\(v)" }.joined(separator: ",") + "\n"
    }
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

private func beat(_ t: Double) -> Double { sin(2 * .pi * 1.1 * t) + 0.3 * sin(2 * .pi * 7 * t) }

@Test func importPairedAndSingleModalityIntoStore() throws {
    let folder = try TestSupport.temporaryFolder("import")
    defer { try? FileManager.default.removeItem(at: folder) }
    let paired = try csv(folder, "paired.csv", columns: ["ECG", "PPG"], rate: 250, seconds: 25) { c, t in c == 0 ? beat(t) : beat(t - 0.2) + 3 }
    let ppgOnly = try csv(folder, "ppgonly.csv", columns: ["PLETH", "RESP"], rate: 100, seconds: 10.5) { c, t in c == 0 ? beat(t) : t }
    let out = folder.appendingPathComponent("s.h5")
    var options = Importer.Options()
    options.attributes = ["generator": "test"]
    let summary = try Importer.run(paths: [paired, ppgOnly], out: out, options: options)
    #expect(summary.segments == 3 && summary.subjects == 2)
    #expect(summary.records.map(\.segments) == [2, 1])
    #expect(summary.records[1].ecgChannels.isEmpty && summary.records[1].ppgChannels == ["PLETH"])
    #expect(summary.records[1].flags["ecg.absent"] == 1)

    let store = try RecordStore(url: out)
    #expect(store.segmentCount == 3)
    #expect(store.subjects.map(\.id) == ["paired", "ppgonly"])
    #expect(store.attributes["generator"] == "test")
    let meta = try store.meta(0..<3)
    #expect(meta.map(\.subjectIndex) == [0, 0, 1])
    #expect(meta.map(\.start) == [0, 10, 0])
    #expect(meta.map(\.ecgOriginalRate) == [250, 250, 0] && meta.map(\.ppgOriginalRate) == [250, 250, 100])
    #expect(meta[2].ecgQuality == .absent && meta[2].ppgQuality.isClean)
    // The "ECG" here is a 1.1 + 7 Hz sine mixture, not a heartbeat: present, not judged clean.
    #expect(!meta[0].ecgQuality.contains(.absent) && meta[0].ppgQuality.isClean)
    let ecg = try store.signals(.ecg, 0..<3)          // (3, 1250)
    let ppg = try store.signals(.ppg, 0..<3)
    let absentECG = ecg[(2 * 1250)...].allSatisfy(\.isNaN)
    #expect(absentECG)
    // Resampled from 250 Hz: sample k at 125 Hz is the signal at t = 10 s + k / 125 s.
    for k in stride(from: 100, to: 1150, by: 97) {
        let t = 10 + Double(k) / 125
        #expect(abs(Double(ecg[1250 + k]) - beat(t)) < 0.02, "ecg at \(t)")
        #expect(abs(Double(ppg[1250 + k]) - (beat(t - 0.2) + 3)) < 0.02, "ppg at \(t)")
    }
    let presentPPG = ppg[(2 * 1250)..<(3 * 1250)].allSatisfy(\.isFinite)
    #expect(presentPPG)
}

@Test func importRealRecordsFlagsAndSubjects() throws {
    guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
    let folder = try TestSupport.temporaryFolder("import-real")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("real.h5")
    var options = Importer.Options()
    options.subject = "patient"
    let paths = ["wfdb/v102s.hea", "wfdb/p000878/p000878-2137-10-26-16-57.hea"].map { real.appendingPathComponent($0) }
    let summary = try Importer.run(paths: paths, out: out, options: options)
    #expect(summary.subjects == 1)
    #expect(summary.records[0].segments == 30)                          // 300 s at 250 Hz
    #expect(summary.records[0].flags["ppg.wrapped", default: 0] > 0)     // PLETH wraps around
    #expect(summary.records[1].segments == 2)                           // the two parts present
    #expect(summary.records[1].flags["ecg.absent"] == 1)                // _0001 holds PLETH only
    let meta = try RecordStore(url: out).meta(30..<32)
    #expect(meta.map(\.start) == [30, 46])
    #expect(meta.map(\.record) == ["p000878-2137-10-26-16-57", "p000878-2137-10-26-16-57"])
}

@Test func importBadInputWritesNothing() throws {
    let folder = try TestSupport.temporaryFolder("import-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = try csv(folder, "good.csv", columns: ["ECG", "PPG"], rate: 125, seconds: 12) { _, t in beat(t) }
    let cases: [(URL, String)] = [
        (try csv(folder, "nan.csv", columns: ["ECG", "PPG"], rate: 125, seconds: 12) { c, t in c == 0 ? .nan : beat(t) },
         "the ECG channel holds no valid sample (all NaN)"),
        (try csv(folder, "flat.csv", columns: ["ECG", "PPG"], rate: 125, seconds: 12) { c, t in c == 1 ? 2 : beat(t) },
         "the PPG channel is flat (every sample is 2.0)"),
        (try csv(folder, "none.csv", columns: ["RESP", "ABP"], rate: 125, seconds: 12) { _, t in beat(t) },
         "no ECG or PPG channel (channels: ABP, RESP); name them with --ecg/--ppg"),
        (try csv(folder, "short.csv", columns: ["ECG"], rate: 125, seconds: 6) { _, t in beat(t) },
         "too short: the longest stretch with ECG or PPG is 6.0 s, a segment needs 10 s"),
        (folder.appendingPathComponent("x.xyz"), "no such file or WFDB record"),
    ]
    try Data("junk".utf8).write(to: folder.appendingPathComponent("y.bin"))
    let unknown = folder.appendingPathComponent("y.bin")
    let out = folder.appendingPathComponent("s.h5")
    for (bad, message) in cases + [(unknown, "unknown format (expected a WFDB record, .edf/.bdf, .csv or .mat)")] {
        #expect { try Importer.run(paths: [good, bad], out: out, options: Importer.Options()) } throws: { e in
            "\(e)" == "\(bad.path): \(message)"
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
    // An existing store survives a failed import untouched.
    _ = try Importer.run(paths: [good], out: out, options: Importer.Options())
    let before = try Data(contentsOf: out)
    #expect(throws: ImportError.self) { try Importer.run(paths: [good, cases[0].0], out: out, options: Importer.Options()) }
    #expect(try Data(contentsOf: out) == before)
}

/// A caller tells a recording that is not there from one that is there and wrong, whatever the
/// reader, without parsing the message; the message is the one users have always seen.
@Test func aMissingRecordingIsNotAnInvalidOne() throws {
    let folder = try TestSupport.temporaryFolder("import-missing")
    defer { try? FileManager.default.removeItem(at: folder) }
    func kind(_ url: URL) -> String {
        do { _ = try RecordingReader.read(url); return "read" } catch let e as ImportError {
            switch e {
            case .missing: return "missing"
            case .invalid: return "invalid"
            }
        } catch { return "other" }
    }
    for name in ["a.csv", "a.edf", "a.mat", "a.hea", "rec"] {
        let url = folder.appendingPathComponent(name)
        #expect(kind(url) == "missing", "\(name)")
        try Data("garbage\u{0}\u{1}".utf8).write(to: url)
        #expect(kind(url) == "invalid", "\(name)")
    }
    do { _ = try CSVReader.read(folder.appendingPathComponent("none.csv"), rate: nil) } catch let e as ImportError {
        #expect(e == .missing(path: folder.appendingPathComponent("none.csv").path, problem: "no such file"))
        #expect(e.description == folder.appendingPathComponent("none.csv").path + ": no such file")
    }
}
