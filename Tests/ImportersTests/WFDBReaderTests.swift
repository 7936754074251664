import Foundation
import Testing
import TestSupport
@testable import Importers

// MARK: - Every value equals wfdb.rdrecord

/// The real records in ../shared, or nil (with the reason printed) when they cannot be checked.
private func realWFDB() -> URL? {
    guard let real = TestSupport.realDataFolder else {
        print("skipped: ../shared/data/real is absent"); return nil
    }
    if let missing = Python.missing(["wfdb", "numpy"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return nil
    }
    return real.appendingPathComponent("wfdb")
}

/// Checks that `channels` equal wfdb's channels bit for bit (names, units, rates, values).
private func expectEqual(_ channels: [Channel], _ oracle: [(WFDBOracle.OracleChannel, [Double])], _ label: String) {
    #expect(channels.count == oracle.count, "\(label): channel count")
    for (c, (o, values)) in zip(channels, oracle) {
        #expect(c.name == o.name, "\(label): name")
        #expect(c.units == (o.units ?? ""), "\(label) \(o.name): units")
        #expect(c.rate == o.fs, "\(label) \(o.name): rate")
        #expect(c.samples.count == values.count, "\(label) \(o.name): sample count")
        let diff = WFDBOracle.firstDifference(c.samples, values)
        #expect(diff == nil, "\(label) \(o.name): first difference at \(diff ?? -1): \(diff.map { c.samples.indices.contains($0) ? c.samples[$0] : .nan } ?? 0) vs \(diff.map { values.indices.contains($0) ? values[$0] : .nan } ?? 0)")
    }
}

@Test(arguments: ["a103l", "v102s", "041s/041s", "p000878/3269321_0001", "p000878/3269321_0002"])
func realRecordEqualsWFDB(_ record: String) throws {
    guard let folder = realWFDB() else { return }
    let url = folder.appendingPathComponent(record)
    let recording = try WFDBReader.read(url)
    #expect(recording.parts.count == 1)
    expectEqual(recording.parts[0].channels, try WFDBOracle.read(url), record)
}

@Test func realHeaderFields() throws {
    guard let folder = realWFDB() else { return }
    let h = try WFDBHeader.read(folder.appendingPathComponent("a103l.hea"))
    #expect(h.signals.map(\.byteOffset) == [24, 24, 24])
    #expect(h.signals.map(\.baseline) == [0, 0, 0])            // no "(baseline)": the ADC zero
    #expect(h.signals.map(\.initialValue) == [-171, 9127, 6042])
    #expect(h.signals.map(\.gain) == [7247, 10520, 12530])
    #expect(h.signals.map(\.units) == ["mV", "mV", "NU"])
    #expect(h.comments == ["Asystole", "False alarm"])
    let m = try WFDBHeader.read(folder.appendingPathComponent("041s/041s01.hea"))
    #expect(m.signals.map(\.samplesPerFrame) == [4, 4, 4, 1, 1, 1, 1])
    #expect(m.signals[3].baseline == -1600 && m.signals[3].units == "mmHg" && m.signals[3].gain == 20)
    #expect(m.signals[5].units == "mV" && m.signals[5].baseline == 0)     // defaults: no units, no baseline
}

/// The MIMIC-III layout: wfdb reads the master record up to the first missing segment
/// (NaN in the gap and for channels a segment lacks); the reader's parts sit at the same
/// places with the same values, and the missing segments are listed.
@Test func realMultiSegmentLayoutWithMissingSegments() throws {
    guard let folder = realWFDB() else { return }
    let url = folder.appendingPathComponent("p000878/p000878-2137-10-26-16-57")
    let recording = try WFDBReader.read(url)
    #expect(recording.parts.map(\.start) == [30, 46])
    #expect(recording.parts.map { $0.channels.map(\.name) } == [["PLETH"], ["II", "PLETH"]])
    #expect(recording.notes.count == 30)           // segments 0003…0032 are not in the folder
    let oracle = try WFDBOracle.read(url, sampto: 7500)
    for (o, values) in oracle {
        var covered = [Bool](repeating: false, count: values.count)
        for part in recording.parts {
            guard let c = part.channels.first(where: { $0.name == o.name }) else { continue }
            let from = Int(part.start * o.fs)
            #expect(WFDBOracle.firstDifference(c.samples, Array(values[from..<(from + c.samples.count)])) == nil, "\(o.name) at \(part.start) s")
            for i in from..<(from + c.samples.count) { covered[i] = true }
        }
        #expect(values.indices.allSatisfy { covered[$0] || values[$0].isNaN }, "\(o.name): wfdb has values outside the parts")
    }
}

/// Decoding block by block gives the same values whatever the block size: every fixture file
/// (all formats, samples per frame, skew, format 8's running sum) read in blocks of 1, 3 and 64
/// frames equals the default read.
@Test func blockSizeDoesNotChangeTheValues() throws {
    if let missing = Python.missing(["wfdb", "numpy"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return
    }
    let folder = try TestSupport.temporaryFolder("wfdb-blocks")
    defer { try? FileManager.default.removeItem(at: folder) }
    var files = 0
    for f in try WFDBOracle.writeFixtures(folder) where f.sampto == nil {
        let header = try WFDBHeader.read(folder.appendingPathComponent(f.record).appendingPathExtension("hea"))
        for file in Set(header.signals.map(\.fileName)) {
            let specs = header.signals.filter { $0.fileName == file }
            guard let format = specs[0].format else { continue }
            let url = folder.appendingPathComponent(file)
            var length: Int? = header.length
            let whole = try WFDBReader.readFile(url, format: format, specs: specs, frequency: header.frequency, length: &length)
            for block in [1, 3, 64] {
                var l: Int? = header.length
                let blocked = try WFDBReader.readFile(url, format: format, specs: specs, frequency: header.frequency,
                                                      length: &l, blockFrames: block)
                for (a, b) in zip(whole, blocked) {
                    #expect(WFDBOracle.firstDifference(a.samples, b.samples) == nil, "\(file) format \(format.rawValue) block \(block)")
                }
            }
            files += 1
        }
    }
    #expect(files >= 10)
}

@Test func manyContiguousSegmentsJoinIntoOnePartEqualToWFDB() throws {
    if let missing = Python.missing(["wfdb", "numpy"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return
    }
    let folder = try TestSupport.temporaryFolder("wfdb-manypart")
    defer { try? FileManager.default.removeItem(at: folder) }
    let record = try WFDBOracle.writeManyPart(folder, parts: 300, frames: 40)
    let recording = try WFDBReader.read(record)
    #expect(recording.parts.count == 1 && recording.notes.isEmpty)
    #expect(recording.parts[0].label.split(separator: "+").count == 300)
    expectEqual(recording.parts[0].channels, try WFDBOracle.read(record), "many")
}

@Test func fixturesInEveryFormatEqualWFDB() throws {
    if let missing = Python.missing(["wfdb", "numpy"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return
    }
    let folder = try TestSupport.temporaryFolder("wfdb-fixtures")
    defer { try? FileManager.default.removeItem(at: folder) }
    let fixtures = try WFDBOracle.writeFixtures(folder)
    var formats = Set<String>()
    let oracles = try WFDBOracle.read(fixtures.map { (folder.appendingPathComponent($0.record), $0.sampto) })
    for (f, oracle) in zip(fixtures, oracles) {
        let url = folder.appendingPathComponent(f.record)
        let recording = try WFDBReader.read(url)
        let header = try WFDBHeader.read(url.appendingPathExtension("hea"))
        formats.formUnion(header.signals.compactMap(\.format?.rawValue))
        if let sampto = f.sampto {
            // multi-segment fixture: one part per contiguous run, placed where wfdb puts it
            #expect(recording.parts.count == 2 && recording.notes.count == 1)
            for (o, values) in oracle {
                for part in recording.parts {
                    let c = try #require(part.channels.first { $0.name == o.name })
                    let from = Int(part.start * o.fs)
                    #expect(from + c.samples.count <= sampto)
                    #expect(WFDBOracle.firstDifference(c.samples, Array(values[from..<(from + c.samples.count)])) == nil)
                }
            }
        } else {
            #expect(recording.parts.count == 1)
            expectEqual(recording.parts[0].channels, oracle, f.record)
        }
    }
    #expect(formats == Set(WFDBFormat.allCases.filter { !$0.isFLAC }.map(\.rawValue)))     // FLAC: WFDBFLACTests
}
