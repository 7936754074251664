import Foundation
import Testing
import TestSupport
@testable import Importers

// MARK: - FLAC formats 508, 516, 524 against wfdb.rdrecord

/// The FLAC fixture records written by wfdb's own writer (`reference/wfdb_oracle.py flac`)
/// into `folder`, or nil (with the reason printed) when wfdb or soundfile is missing.
private func writeFLACFixtures(_ folder: URL) throws -> [String]? {
    if let missing = Python.missing(["wfdb", "numpy", "soundfile"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return nil
    }
    struct Made: Decodable { var record: String }
    let json = try Python.script("reference/wfdb_oracle.py", ["flac", folder.path])
    return try JSONDecoder().decode([Made].self, from: Data(json.utf8)).map(\.record)
}

@Test func flacRecordsEqualWFDB() throws {
    let folder = try TestSupport.temporaryFolder("wfdb-flac")
    defer { try? FileManager.default.removeItem(at: folder) }
    guard let records = try writeFLACFixtures(folder) else { return }
    #expect(records.count == 7)
    let urls = records.map { folder.appendingPathComponent($0) }
    let oracle = try WFDBOracle.read(urls.map { ($0, nil) })
    for (url, expected) in zip(urls, oracle) {
        let name = url.lastPathComponent
        let recording = try WFDBReader.read(url)
        let channels = recording.parts[0].channels
        #expect(recording.parts.count == 1 && channels.count == expected.count, "\(name): channels")
        for (c, (o, values)) in zip(channels, expected) {
            #expect(c.name == o.name && c.units == (o.units ?? "") && c.rate == o.fs, "\(name) \(o.name): name, units, rate")
            #expect(c.samples.count == values.count, "\(name) \(o.name): \(c.samples.count) samples, wfdb \(values.count)")
            let diff = WFDBOracle.firstDifference(c.samples, values)
            #expect(diff == nil, "\(name) \(o.name): first difference at \(diff ?? -1)")
        }
        // the invalid-sample value of every format is among the fixtures' values
        #expect(channels.contains { $0.samples.contains { $0.isNaN } } || name == "flong", "\(name): no NaN")
    }
    #expect(try WFDBReader.read(urls[3]).format == "WFDB 516+524+508")
    let multi = try WFDBReader.read(urls[3]).parts[0].channels
    #expect(multi.map(\.rate) == [500, 500, 125, 125] && multi.map(\.samples.count) == [2400, 2400, 600, 600])
}

/// A header without a length takes it from the FLAC stream; a header that needs more frames
/// than the stream holds is an error naming the signal file.
@Test func flacLengthFromTheStream() throws {
    let folder = try TestSupport.temporaryFolder("wfdb-flac-len")
    defer { try? FileManager.default.removeItem(at: folder) }
    guard try writeFLACFixtures(folder) != nil else { return }
    let full = try WFDBReader.read(folder.appendingPathComponent("f516"))
    let header = try String(contentsOf: folder.appendingPathComponent("f516.hea"), encoding: .utf8)
    try header.replacingOccurrences(of: "f516 3 125 1000", with: "f516 3 125")
        .write(to: folder.appendingPathComponent("f516.hea"), atomically: true, encoding: .utf8)
    let derived = try WFDBReader.read(folder.appendingPathComponent("f516"))
    for (c, f) in zip(derived.parts[0].channels, full.parts[0].channels) {
        #expect(c.samples.count == 1000 && WFDBOracle.firstDifference(c.samples, f.samples) == nil, "\(c.name)")
    }
    try header.replacingOccurrences(of: "f516 3 125 1000", with: "f516 3 125 1001")
        .write(to: folder.appendingPathComponent("f516.hea"), atomically: true, encoding: .utf8)
    #expect { try WFDBReader.read(folder.appendingPathComponent("f516")) } throws: {
        "\($0)" == folder.appendingPathComponent("f516.dat").path + ": truncated: the header needs 1001 frames, the FLAC stream holds 1000"
    }
}

// MARK: - Bad FLAC input: one line naming the file, never a crash

@Test func flacBadInputNamesTheFile() throws {
    let folder = try TestSupport.temporaryFolder("wfdb-flac-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    guard try writeFLACFixtures(folder) != nil else { return }
    let dat = folder.appendingPathComponent("flong.dat"), record = folder.appendingPathComponent("flong")
    let good = try Data(contentsOf: dat)
    func problem(_ bytes: Data) throws -> String? {
        try bytes.write(to: dat)
        do { _ = try WFDBReader.read(record); return nil } catch let e as ImportError {
            #expect(e.path == dat.path, "\(e)")
            #expect(!e.description.contains("\n"))
            return e.problem
        }
    }
    // a stream cut short: either libFLAC notices the broken frame or the stream announces more
    for cut in [good.count / 2, good.count - 1, 100, 42] {
        let p = try problem(good.prefix(cut))
        #expect(p?.hasPrefix("truncated") == true || p?.hasPrefix("corrupt FLAC stream") == true
                || p?.hasPrefix("not a valid FLAC stream") == true, "cut at \(cut): \(p ?? "read")")
    }
    // a corrupt frame: a CRC mismatch or lost sync, not silence in place of the samples
    var corrupt = good
    for i in stride(from: good.count / 3, to: good.count / 3 + 64, by: 8) { corrupt[i] ^= 0x5A }
    #expect(try problem(corrupt)?.hasPrefix("corrupt FLAC stream") == true)
    #expect(try problem(Data("fLaC".utf8)) != nil)
    #expect(try problem(Data()) == "not a FLAC stream (no 'fLaC' signature)")
    #expect(try problem(Data(repeating: 7, count: 4000)) == "not a FLAC stream (no 'fLaC' signature)")
    try good.write(to: dat)

    // the header stores one signal in a file with two FLAC channels
    let header = try String(contentsOf: folder.appendingPathComponent("flong.hea"), encoding: .utf8)
    let lines = header.split(separator: "\n").map(String.init)
    try ([lines[0].replacingOccurrences(of: "flong 2", with: "flong 1"), lines[1]].joined(separator: "\n") + "\n")
        .write(to: folder.appendingPathComponent("flong.hea"), atomically: true, encoding: .utf8)
    #expect { try WFDBReader.read(record) } throws: {
        "\($0)" == dat.path + ": the FLAC stream has 2 channels, the header stores 1 signals in it"
    }
    // sizes a hostile header declares: a huge length, huge samples per frame
    try header.replacingOccurrences(of: "flong 2 125 40000", with: "flong 2 125 9223372036854775000")
        .write(to: folder.appendingPathComponent("flong.hea"), atomically: true, encoding: .utf8)
    #expect { try WFDBReader.read(record) } throws: {
        "\($0)" == dat.path + ": truncated: the header needs 9223372036854775000 frames, the FLAC stream holds 40000"
    }
    try header.replacingOccurrences(of: "516x2", with: "516x4611686018427387904")
        .write(to: folder.appendingPathComponent("flong.hea"), atomically: true, encoding: .utf8)
    #expect { try WFDBReader.read(record) } throws: {
        "\($0)" == dat.path + ": 4611686018427387904 samples per frame; at most 1048576 are read from a FLAC file"
    }
    // signals of one FLAC file with different samples per frame (wfdb refuses them too)
    let multi = folder.appendingPathComponent("fmulti.hea")
    let multiHeader = try String(contentsOf: multi, encoding: .utf8)
    try multiHeader.replacingOccurrences(of: "fm_a.dat 516x4 10520", with: "fm_a.dat 516x2 10520").write(to: multi, atomically: true, encoding: .utf8)
    #expect { try WFDBReader.read(folder.appendingPathComponent("fmulti")) } throws: {
        "\($0)" == folder.appendingPathComponent("fm_a.dat").path + ": the signals of a FLAC signal file must have the same samples per frame (4, 2)"
    }
    // a 16-bit stream is not a format 508 file
    try header.replacingOccurrences(of: "516x2", with: "508x2")
        .write(to: folder.appendingPathComponent("flong.hea"), atomically: true, encoding: .utf8)
    #expect { try WFDBReader.read(record) } throws: {
        "\($0)" == dat.path + ": the FLAC stream has 16 bits per sample, format 508 allows 8, 16 or 24 up to 8"
    }
}

/// Random byte mutations of a FLAC signal file: each read either succeeds or fails with an
/// `ImportError` naming the file (a crash would end the test run).
@Test func flacMutationsNeverCrash() throws {
    let folder = try TestSupport.temporaryFolder("wfdb-flac-fuzz")
    defer { try? FileManager.default.removeItem(at: folder) }
    guard try writeFLACFixtures(folder) != nil else { return }
    let dat = folder.appendingPathComponent("f524x3.dat"), record = folder.appendingPathComponent("f524x3")
    let good = try Data(contentsOf: dat)
    var rng = SystemRandomNumberGenerator()
    var failures = 0
    for round in 0..<300 {
        var bytes = good
        for _ in 0..<(1 + round % 8) {
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[at] = round % 3 == 0 ? 0xFF : UInt8.random(in: 0...255, using: &rng)
        }
        if round % 5 == 0 { bytes = bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)) }
        try bytes.write(to: dat)
        do { _ = try WFDBReader.read(record) } catch let e as ImportError {
            #expect(e.path == dat.path)
            failures += 1
        }
    }
    #expect(failures > 0)
}
