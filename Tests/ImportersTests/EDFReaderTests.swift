import Foundation
import Testing
import TestSupport
@testable import Importers

/// EDF, EDF+ and BDF files written by pyedflib (EDFlib) read back with the same values.
@Test func edfFixturesEqualPyEDFLib() throws {
    if let missing = Python.missing(["pyedflib", "numpy"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return
    }
    struct OracleChannel: Decodable { var label: String; var units: String; var fs: Double; var count: Int }
    let folder = try TestSupport.temporaryFolder("edf-fixtures")
    defer { try? FileManager.default.removeItem(at: folder) }
    let json = try Python.script("reference/edf_oracle.py", ["fixtures", folder.path])
    let index = try JSONDecoder().decode([String: [OracleChannel]].self, from: Data(json.utf8))
    #expect(index.count == 3)
    for (file, oracle) in index {
        let url = folder.appendingPathComponent(file)
        let recording = try RecordingReader.read(url)
        #expect(recording.parts.count == 1)
        let channels = recording.parts[0].channels
        #expect(channels.map(\.name) == oracle.map(\.label), "\(file)")
        let data = try Data(contentsOf: url.appendingPathExtension("bin"))
        var at = 0
        for (c, o) in zip(channels, oracle) {
            let expected = data.subdata(in: at..<(at + 8 * o.count)).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
            at += 8 * o.count
            #expect(c.units == o.units && c.rate == o.fs, "\(file) \(o.label)")
            #expect(WFDBOracle.firstDifference(c.samples, expected) == nil, "\(file) \(o.label)")
        }
    }
    let edfPlus = try RecordingReader.read(folder.appendingPathComponent("edf_plus.edf"))
    #expect(edfPlus.format == "EDF+C")
    // 12 s of "ECG II" at 256 Hz and "Pleth" at 128 Hz: one paired segment.
    let cut = try Segmenter.segments(of: edfPlus, file: "edf_plus.edf", picker: ChannelPicker(), subjectIndex: 0)
    #expect(cut.segments.count == 1 && cut.channels[.ecg] == ["ECG II"] && cut.channels[.ppg] == ["Pleth"])
    #expect(cut.segments[0].meta.ecgOriginalRate == 256 && cut.segments[0].meta.ppgOriginalRate == 128)
    #expect(try RecordingReader.read(folder.appendingPathComponent("bio.bdf")).format == "BDF+C")
}

/// A discontinuous EDF+D file written byte by byte from the specification: two data records
/// at 0 s and 5 s become two parts.
@Test func edfPlusDiscontinuousSplitsParts() throws {
    let folder = try TestSupport.temporaryFolder("edfd")
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("gap.edf")
    try EDFBytes.file(reserved: "EDF+D", records: [(0, [1, 2, 3, 4]), (5, [5, 6, 7, 8])]).write(to: url)
    let r = try RecordingReader.read(url)
    #expect(r.format == "EDF+D")
    #expect(r.parts.map(\.start) == [0, 5])
    // digital -32768…32767 ↔ physical -32768…32767: the physical value is the digital one
    #expect(r.parts.map { $0.channels[0].samples } == [[1, 2, 3, 4], [5, 6, 7, 8]])
    #expect(r.parts[0].channels.map(\.name) == ["ECG"] && r.parts[0].channels[0].rate == 4)
}

@Test func edfBadInput() throws {
    let folder = try TestSupport.temporaryFolder("edf-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = EDFBytes.file(reserved: "EDF+C", records: [(0, [1, 2, 3, 4]), (1, [5, 6, 7, 8])])
    let cases: [(String, Data, String)] = [
        ("short.edf", good.prefix(100), "truncated EDF header"),
        ("cut.edf", good.prefix(good.count - 3), "truncated: the header announces 2 data records, the file holds 1"),
        ("notedf.edf", Data("hello world".utf8) + Data(count: 300), "not an EDF file"),
    ]
    for (name, bytes, message) in cases {
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        #expect { try RecordingReader.read(url) } throws: { e in
            "\(e)".hasPrefix(url.path + ": ") && "\(e)".contains(message)
        }
    }
}

/// The number-of-records and record-duration fields are parsed strictly: a field that is not
/// a count (or -1) or not a finite positive duration is an error, never a default.
@Test func edfUnparsableCountAndDurationAreErrors() throws {
    let folder = try TestSupport.temporaryFolder("edf-fields")
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = EDFBytes.file(reserved: "EDF+C", records: [(0, [1, 2, 3, 4]), (1, [5, 6, 7, 8])])
    func patched(_ offset: Int, _ text: String) -> Data {
        var d = good
        let bytes = Array((text + String(repeating: " ", count: 8)).utf8.prefix(8))
        d.replaceSubrange(offset..<(offset + 8), with: bytes)
        return d
    }
    for value in ["abc", "nan", "-inf", "", "٣", "-2"] {
        let url = folder.appendingPathComponent("records.edf")
        try patched(236, value).write(to: url)
        #expect(throws: ImportError.self, "records field '\(value)'") { try RecordingReader.read(url) }
        #expect { try RecordingReader.read(url) } throws: { "\($0)".contains("number of data records") }
    }
    for value in ["inf", "nan", "0", "-1"] {
        let url = folder.appendingPathComponent("duration.edf")
        try patched(244, value).write(to: url)
        #expect { try RecordingReader.read(url) } throws: { "\($0)".contains("record duration") }
    }
    // -1 (still being written) falls back to the records the file holds.
    let open = folder.appendingPathComponent("open.edf")
    try patched(236, "-1").write(to: open)
    #expect(try RecordingReader.read(open).parts[0].channels[0].samples.count == 8)
}

/// A record duration of 4294967 s makes a 4-sample record a channel at ~1e-6 Hz: the importer
/// refuses the rate before sizing anything from it (it used to try to allocate 150 GB).
@Test func edfAbsurdRecordDurationIsRefusedByTheImporter() throws {
    let folder = try TestSupport.temporaryFolder("edf-rate")
    defer { try? FileManager.default.removeItem(at: folder) }
    var d = EDFBytes.file(reserved: "EDF+C", records: [(0, [1, 2, 3, 4]), (1, [5, 6, 7, 8])])
    d.replaceSubrange(244..<252, with: Array("4294967 ".utf8))
    let url = folder.appendingPathComponent("slow.edf")
    try d.write(to: url)
    let out = folder.appendingPathComponent("out.h5")
    #expect { _ = try Importer.run(paths: [url], out: out, options: Importer.Options()) } throws: { e in
        "\(e)".hasPrefix(url.path + ": ") && "\(e)".contains("sampling rate") && "\(e)".contains("outside the accepted")
    }
    #expect(!FileManager.default.fileExists(atPath: out.path))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["slow.edf"])
}

/// Writes small EDF files by hand (one ECG signal of 4 samples per 1-s record plus an
/// annotation signal carrying the time-keeping stamp).
enum EDFBytes {
    static func file(reserved: String, records: [(onset: Double, samples: [Int16])]) -> Data {
        func f(_ s: String, _ n: Int) -> String { String((s + String(repeating: " ", count: n)).prefix(n)) }
        let ns = 2
        var h = f("0", 8) + f("patient", 80) + f("recording", 80) + f("01.01.00", 8) + f("00.00.00", 8)
        h += f(String(256 * (ns + 1)), 8) + f(reserved, 44) + f(String(records.count), 8) + f("1", 8) + f(String(ns), 4)
        h += f("ECG", 16) + f("EDF Annotations", 16)
        h += f("", 80) + f("", 80)                      // transducer
        h += f("uV", 8) + f("", 8)                      // units
        h += f("-32768", 8) + f("-1", 8)                // physical min
        h += f("32767", 8) + f("1", 8)                  // physical max
        h += f("-32768", 8) + f("-32768", 8)            // digital min
        h += f("32767", 8) + f("32767", 8)              // digital max
        h += f("", 80) + f("", 80)                      // prefilter
        h += f("4", 8) + f("8", 8)                      // samples per record
        h += f("", 32) + f("", 32)
        var d = Data(h.utf8)
        for (onset, samples) in records {
            for s in samples { withUnsafeBytes(of: s.littleEndian) { d.append(contentsOf: $0) } }
            var tal = Array("+\(Int(onset))\u{14}\u{14}\u{0}".utf8)
            tal += [UInt8](repeating: 0, count: 16 - tal.count)
            d.append(contentsOf: tal)
        }
        return d
    }
}
