import Foundation
import Testing
import TestSupport
@testable import Store

/// Opening reads no signals, and a one-segment read reads one row: checked on a store of
/// 100,000 segments. Only the first 64 segments carry written samples; the rest of the
/// signal rows are allocated but unwritten (HDF5 stores no chunks for them and they read
/// as the NaN fill value), which keeps the test fast. `m2ae-bench store` times a fully
/// written store.
@Suite struct RecordStoreScaleTests {
    static let count = 100_000

    /// A 100,000-segment store: real metadata for every row, real samples for rows 0..<64.
    static func sparseStore(_ url: URL) throws {
        try StoreFixtures.write(url, count: 64)
        let file = try H5File(url, mode: .readWrite)
        for m in Modality.allCases { try H5Dataset.open(file, StoreLayout.signals(m)).setRows(count) }
        let columns = try SegmentColumns(file: file, rows: 64)
        try columns.append((64..<count).map { StoreFixtures.meta($0) }, at: 64)
    }

    @Test func openReadsNoSignalsAndOneSegmentReadsOneRow() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.sparseStore(url)

        let clock = ContinuousClock()
        var store: RecordStore?
        let openTime = try clock.measure { store = try RecordStore(url: url) }
        let s = try #require(store)
        #expect(s.segmentCount == Self.count)
        for m in Modality.allCases {
            #expect(s.signalSets[m]!.rowsRead == 0, "opening read \(m) signals")
        }
        // Generous bound for a loaded CI machine; the bench measures the real figure.
        #expect(openTime < .milliseconds(500), "opening took \(openTime)")

        let i = Self.count - 1
        let segment = try s.segment(i)
        #expect(segment.meta == StoreFixtures.meta(i))
        #expect(segment.ecg.count == SegmentFormat.samples && segment.ecg.allSatisfy { $0.isNaN })
        for m in Modality.allCases {
            #expect(s.signalSets[m]!.rowsRead == 1)
            #expect(s.signalSets[m]!.readCalls == 1)
        }
        #expect(try s.segment(63) == StoreFixtures.segment(63))
        #expect(try s.meta(50_000..<50_003) == (50_000..<50_003).map { StoreFixtures.meta($0) })
        #expect(s.signalSets[.ecg]!.rowsRead == 2)
    }
}
