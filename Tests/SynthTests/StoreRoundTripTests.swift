import Foundation
import Testing
@testable import Synth
import Store
import TestSupport

/// A generated cohort survives the store: labels, metadata, quality flags and samples (NaN runs included).
@Suite struct StoreRoundTripTests {
    @Test func cohortRoundTrips() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-synth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("c.h5")
        let g = CohortGenerator(seed: 4, config: SynthConfig(defectRate: 0.5))
        let subjects = (0..<20).map { g.subject($0) }
        let segments = subjects.flatMap { s in (0..<3).map { g.segment(s, index: $0).segment } }
        let writer = try StoreWriter(url: url, subjects: subjects.map(\.subject), attributes: ["seed": "4"])
        try writer.append(segments)
        try writer.commit()

        let store = try RecordStore(url: url)
        #expect(store.subjects == subjects.map(\.subject))
        #expect(store.segmentCount == 60)
        #expect(store.attributes["seed"] == "4")
        #expect(try store.meta(0..<60) == segments.map(\.meta))
        #expect(segments.contains { !$0.meta.ecgQuality.isClean || !$0.meta.ppgQuality.isClean })
        let ecg = try store.signals(.ecg, 0..<60), ppg = try store.signals(.ppg, 0..<60)
        let same = { (a: [Float], b: [Float]) in zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) } }
        #expect(same(ecg, segments.flatMap(\.ecg)) && same(ppg, segments.flatMap(\.ppg)))
    }
}
