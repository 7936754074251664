import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct RecordStoreRoundTripTests {
    @Test func everyFieldRoundTrips() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 150, attributes: ["generator": "StoreTests", "command": "m2ae synth --n 150"])

        let store = try RecordStore(url: url)
        #expect(store.segmentCount == 150)
        #expect(store.subjects == StoreFixtures.subjects)
        #expect(store.attributes == ["generator": "StoreTests", "command": "m2ae synth --n 150"])
        #expect(store.modelIDs.isEmpty)

        let metas = try store.meta(0..<150)
        #expect(metas == (0..<150).map { StoreFixtures.segment($0).meta })
        for i in [0, 1, 63, 64, 65, 149] {
            #expect(try store.segment(i) == StoreFixtures.segment(i))
        }
        let ecg = try store.signals(.ecg, 60..<70)
        #expect(ecg.count == 10 * SegmentFormat.samples)
        #expect(ecg == (60..<70).flatMap { StoreFixtures.segment($0).ecg })
        #expect(try store.signals(.ppg, 149..<150) == StoreFixtures.segment(149).ppg)
        #expect(try store.quality(.ppg, 0..<10) == (0..<10).map { StoreFixtures.segment($0).meta.ppgQuality })
        #expect(try store.subjectIndices(3..<6) == [0, 1, 2])
        #expect(try store.meta(5..<5).isEmpty)
    }

    /// `StoreWriter(waveforms: false)`: a fingerprint-only store like an export, metadata
    /// round-trips, no samples can be read, and a segment with samples is refused.
    @Test func fingerprintOnlyStoreFromTheWriter() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: ["generator": "StoreTests"], waveforms: false)
        #expect(throws: StoreError.self) { try w.append([StoreFixtures.segment(0)]) }
        try w.append((0..<70).map { Segment(meta: StoreFixtures.meta($0), ecg: [], ppg: []) })
        try w.commit()
        let store = try RecordStore(url: url)
        #expect(!store.hasWaveforms && store.segmentCount == 70)
        #expect(store.attributes["generator"] == "StoreTests")
        #expect(try store.meta(0..<70) == (0..<70).map { StoreFixtures.meta($0) })
        #expect(throws: StoreError.self) { try store.segment(3) }
    }

    @Test func emptyStoreOpens() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = try StoreWriter(url: url, subjects: [], attributes: [:])
        try w.commit()
        let store = try RecordStore(url: url)
        #expect(store.segmentCount == 0)
        #expect(store.subjects.isEmpty)
        #expect(try store.meta(0..<0).isEmpty)
    }

    @Test func nanSamplesOfAnAbsentModalitySurvive() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = StoreFixtures.segment(0)
        s.ppg = [Float](repeating: .nan, count: SegmentFormat.samples)
        let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: [:])
        try w.append([s])
        try w.commit()
        let back = try RecordStore(url: url).segment(0)
        #expect(back.ppg.allSatisfy { $0.isNaN })
        #expect(back.ecg == s.ecg)
    }

    @Test func concurrentReadersOfOneStoreAgree() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try StoreFixtures.write(url, count: 96)
        let store = try RecordStore(url: url)
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var mismatches: [Int] = []
            var errors: [String] = []
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for k in 0..<24 {
                let i = (worker * 24 + k * 7) % 96
                do {
                    let ok = try store.segment(i) == StoreFixtures.segment(i)
                    results.lock.withLock { if !ok { results.mismatches.append(i) } }
                } catch {
                    results.lock.withLock { results.errors.append("\(error)") }
                }
            }
        }
        #expect(results.mismatches.isEmpty)
        #expect(results.errors.isEmpty)
    }
}

/// A store written before `/segments/ppg_delay` existed opens, and reads every delay as not measured.
@Test func aStoreWithoutTheDelayColumnReadsNoDelays() throws {
    if let absent = Python.missing(["h5py"]) {
        if Python.required { Issue.record("Python modules missing: \(absent)") }
        print("skipped: Python modules missing: \(absent)"); return
    }
    let (dir, url) = try StoreFixtures.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    try StoreFixtures.write(url, count: 12)
    #expect(try RecordStore(url: url).hasPPGDelays)
    #expect(try RecordStore(url: url).ppgDelays(1..<3) == [0.2, 0.2])
    let r = try Python.run(["-c", "import h5py, sys; f = h5py.File(sys.argv[1], 'r+'); del f['segments/ppg_delay']; f.close()", url.path])
    try #require(r.status == 0, "\(r.stderr)")
    let store = try RecordStore(url: url)
    #expect(!store.hasPPGDelays)
    #expect(try store.ppgDelays(0..<12) == [Double?](repeating: nil, count: 12))
    var expected = (0..<12).map { StoreFixtures.segment($0).meta }
    for i in expected.indices { expected[i].ppgDelay = nil }
    #expect(try store.meta(0..<12) == expected)
}
