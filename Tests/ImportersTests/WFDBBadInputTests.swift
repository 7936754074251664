import Foundation
import Testing
import TestSupport
@testable import Importers

/// A small valid record (format 16, two signals, 100 frames) to break in various ways.
private func writeRecord(_ folder: URL, name: String, header: String? = nil, datBytes: Int? = nil) throws -> URL {
    var dat = Data()
    for i in 0..<200 { withUnsafeBytes(of: Int16(i * 37 % 1000).littleEndian) { dat.append(contentsOf: $0) } }
    if let datBytes { dat = dat.prefix(datBytes) }
    try dat.write(to: folder.appendingPathComponent(name + ".dat"))
    let text = header ?? "\(name) 2 100 100\n\(name).dat 16 200/mV 16 0 0 0 0 II\n\(name).dat 16 100(5)/NU 16 0 0 0 0 PLETH\n"
    let url = folder.appendingPathComponent(name + ".hea")
    try Data(text.utf8).write(to: url)
    return url
}

@Test func wfdbBadInputNamesFileAndProblem() throws {
    let folder = try TestSupport.temporaryFolder("wfdb-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let ok = try WFDBReader.read(try writeRecord(folder, name: "ok"))
    #expect(ok.parts[0].channels[1].samples[1] == (Double(3 * 37) - 5) / 100)   // frame 1, second signal
    #expect(ok.parts[0].channels[0].samples[0] == 0)

    let truncated = try writeRecord(folder, name: "trunc", datBytes: 301)
    #expect { try WFDBReader.read(truncated) } throws: {
        "\($0)" == folder.appendingPathComponent("trunc.dat").path
            + ": truncated: format 16 needs 400 bytes after offset 0 for 100 frames, the file has 301"
    }
    let missingDat = try writeRecord(folder, name: "nodat")
    try FileManager.default.removeItem(at: folder.appendingPathComponent("nodat.dat"))
    #expect { try WFDBReader.read(missingDat) } throws: {
        "\($0)" == folder.appendingPathComponent("nodat.dat").path + ": signal file missing"
    }
    let cases: [(String, String, String)] = [
        ("fmt", "fmt 1 100 100\nfmt.dat 999 200/mV 16 0 0 0 0 II\n", "invalid WFDB header: unsupported signal format '999'"),
        ("fmt5", "fmt5 1 100 100\nfmt5.dat 517 200/mV 16 0 0 0 0 II\n", "invalid WFDB header: unsupported signal format '517'"),
        ("lines", "lines 3 100 100\nlines.dat 16 200/mV 16 0 0 0 0 II\n", "invalid WFDB header: 3 signals announced, 1 signal lines found"),
        ("gain", "gain 1 100 100\ngain.dat 16 2x0/mV 16 0 0 0 0 II\n", "invalid WFDB header: bad gain '2x0/mV'"),
        ("rate", "rate 1 fast 100\nrate.dat 16 200/mV 16 0 0 0 0 II\n", "invalid WFDB header: bad sampling frequency 'fast'"),
        ("empty", "# only a comment\n", "invalid WFDB header: no record line"),
        ("segs", "segs/3 1 100 300\nsegs_1 100\n", "invalid WFDB header: 3 segments announced, 1 segment lines found"),
    ]
    for (name, header, message) in cases {
        let url = try writeRecord(folder, name: name, header: header)
        #expect { try WFDBReader.read(url) } throws: { "\($0)" == "\(url.path): \(message)" }
    }
    #expect { try WFDBReader.read(folder.appendingPathComponent("absent.hea")) } throws: {
        "\($0)" == folder.appendingPathComponent("absent.hea").path + ": no such WFDB header"
    }
    // A multi-segment record whose segments are all missing.
    let master = folder.appendingPathComponent("allgone.hea")
    try Data("allgone/2 1 100 200\nallgone_1 100\nallgone_2 100\n".utf8).write(to: master)
    #expect { try WFDBReader.read(master) } throws: { "\($0)" == "\(master.path): none of the 2 segments could be read (2 missing)" }
}

/// Regression cases from mutation fuzzing: a folder as the signal file, an absolute signal
/// path, and sampling rates that would size hours of output from a few samples.
@Test func wfdbHostileHeadersGiveOneLineErrors() throws {
    let folder = try TestSupport.temporaryFolder("wfdb-hostile")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub.dat"), withIntermediateDirectories: true)
    let dirAsFile = try writeRecord(folder, name: "dir", header: "dir 1 100 10\nsub.dat 16 200/mV 16 0 0 0 0 II\n")
    #expect { try WFDBReader.read(dirAsFile) } throws: {
        "\($0)" == folder.appendingPathComponent("sub.dat").path + ": the signal file is not a regular file (a folder or a device)"
    }
    // An absolute signal path is that path, not a name inside the header's folder.
    let elsewhere = try TestSupport.temporaryFolder("wfdb-abs")
    defer { try? FileManager.default.removeItem(at: elsewhere) }
    _ = try writeRecord(elsewhere, name: "far")
    let absolute = elsewhere.appendingPathComponent("far.dat").path
    let abs = try writeRecord(folder, name: "abs", header: "abs 1 100 100\n\(absolute) 16 200/mV 16 0 0 0 0 II\n")
    #expect(try WFDBReader.read(abs).parts[0].channels[0].samples.count == 100)
    let dev = try writeRecord(folder, name: "dev", header: "dev 1 100 10\n/dev/zero 16 200/mV 16 0 0 0 0 II\n")
    #expect { try WFDBReader.read(dev) } throws: { "\($0)".hasPrefix("/dev/zero: the signal file is not a regular file") }

    for rate in ["0.01", "1e-7", "1e9"] {
        let url = try writeRecord(folder, name: "slow", header: "slow 2 \(rate) 100\nslow.dat 16 200/mV 16 0 0 0 0 II\nslow.dat 16 100/NU 16 0 0 0 0 PLETH\n")
        let out = folder.appendingPathComponent("out.h5")
        #expect { _ = try Importer.run(paths: [url], out: out, options: Importer.Options()) } throws: { e in
            "\(e)".hasPrefix(url.path + ": ") && "\(e)".contains("outside the accepted 10–100000 Hz")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path), "rate \(rate)")
    }
}

/// Without a length in the header, the record length comes from the file size (as in wfdb).
@Test func wfdbLengthFromFileSizeAndSkew() throws {
    let folder = try TestSupport.temporaryFolder("wfdb-len")
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try writeRecord(folder, name: "nolen", header: "nolen 2 100\nnolen.dat 16 200/mV 16 0 0 0 0 II\nnolen.dat 16:2 100(5)/NU 16 0 0 0 0 PLETH\n")
    let r = try WFDBReader.read(url)
    let c = r.parts[0].channels
    #expect(c[0].samples.count == 100 && c[1].samples.count == 100)
    // PLETH lags by 2 frames: its sample i is stored in frame i + 2; the last 2 are past the file.
    #expect(c[1].samples[0] == (Double(5 * 37 % 1000) - 5) / 100)
    #expect(c[1].samples[98].isNaN && c[1].samples[99].isNaN)
}

@Test func readTablePrintsEveryValueOnce() throws {
    let part = RecordingPart(start: 2, label: "p", channels: [
        Channel(name: "II", units: "mV", rate: 4, samples: [0.1, -0.25, .nan, 1e-7]),
        Channel(name: "PLETH", units: "", rate: 2, samples: [3, 4]),
    ])
    let r = Recording(name: "r", format: "WFDB 16", parts: [part], comments: ["c"], notes: [])
    var csv = ""
    RecordingTable.write(r, csv: true) { csv += $0 }
    #expect(csv == "time,II (mV),PLETH\n2.0,0.1,3.0\n2.25,-0.25,\n2.5,nan,4.0\n2.75,1e-07,\n")
    var text = ""
    RecordingTable.write(r, csv: false, maxRows: 2) { text += $0 }
    #expect(text.contains("record r · WFDB 16 · 1 part\n"))
    #expect(text.contains("sample  II (mV)  PLETH\n     0      0.1    3.0\n     1    -0.25       \n… 2 more rows\n"))
}

/// The allocator policy applies on glibc (the benchmark and `m2ae import` rely on it).
@Test func allocatorPolicyApplies() {
    #if canImport(Glibc)
    #expect(AllocatorPolicy.retainFreedMemory())
    #expect(AllocatorPolicy.tunables == "glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=268435456")
    #endif
}
