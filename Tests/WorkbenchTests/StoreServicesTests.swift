import Foundation
import Testing
import Store
import TestSupport
@testable import Workbench

/// `StoreServices` over a small store written here with `StoreWriter`: the synthetic beats
/// (peaks known by construction) as signals, and hand-made fingerprints and projections.
@Suite struct StoreServicesTests {
    static let source = SyntheticServices(subjects: 3, segmentsPerSubject: 4)

    /// Writes the store and returns its folder (removed by the caller).
    static func makeStore(withModel: Bool) throws -> URL {
        let folder = try TestSupport.temporaryFolder("m2ae-workbench-store")
        let url = folder.appendingPathComponent("cohort.h5")
        let subjects = (0..<3).map { Subject(id: String(format: "P%02d", $0), labels: SyntheticServices.labels(subject: $0)) }
        let writer = try StoreWriter(url: url, subjects: subjects, attributes: ["generator": "workbench-test"])
        let segments = try (0..<12).map { i -> Segment in
            let t = try source.trace(i)
            return Segment(meta: SegmentMeta(subjectIndex: Int32(i / 4), record: "r\(i / 4)", start: Double(i % 4) * 10,
                                             ecgOriginalRate: 125, ppgOriginalRate: 125, ppgQuality: i == 5 ? .noisy : []),
                           ecg: t.ecg, ppg: t.ppg)
        }
        try writer.append(segments)
        try writer.commit()
        guard withModel else { return folder }
        try StoreEditor.edit(url) { edit in
            // Fingerprint i points at angle i·0.2 rad: neighbours of 0 are 1, 2, 3… in order.
            var fp: [Float] = []
            for i in 0..<12 {
                let angle = Double(i) * 0.2
                fp += [Float(cos(angle)), Float(sin(angle)), 0]
            }
            for mode in FingerprintMode.allCases {
                let path = StoreEdit.fingerprintPath(model: "m1", mode: mode)
                try edit.createMatrix(path, rows: 12, cols: 3)
                try edit.writeRows(path, start: 0, fp, cols: 3)
            }
            try edit.createMatrix(StoreLayout.projections(model: "m1") + "/pca", rows: 12, cols: 2)
            try edit.writeRows(StoreLayout.projections(model: "m1") + "/pca", start: 0, (0..<24).map { Float($0) }, cols: 2)
        }
        return folder
    }

    @Test func recordsAndTracesWithDetectedPeaks() throws {
        let folder = try Self.makeStore(withModel: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let services = try StoreServices(url: folder.appendingPathComponent("cohort.h5"))
        #expect(services.storeName == "cohort.h5" && services.modelName == nil)
        let rows = try services.records()
        #expect(rows.count == 12)
        #expect(rows[5].subject == "P01" && rows[5].start == 10 && rows[5].ppgQuality == .noisy)
        #expect(rows[9].labels == SyntheticServices.labels(subject: 2))
        let t = try services.trace(6)
        let truth = try Self.source.trace(6)
        #expect(t.ecg == truth.ecg)
        // The Signals detector finds the constructed R-peaks to within 2 samples.
        #expect(t.rPeaks.count == truth.rPeaks.count)
        for (a, b) in zip(t.rPeaks, truth.rPeaks) { #expect(abs(a - b) <= 2) }
        #expect(abs((t.heartRate ?? 0) - (truth.heartRate ?? 0)) < 2)
        // The pulse rate comes from the PPG peaks (Signals.PulseDetector) and agrees here.
        let pulse = try #require(t.pulseRate)
        #expect(abs(pulse - (truth.pulseRate ?? 0)) < 2 && !t.ratesDisagree)
        #expect(try services.neighbours(0, mode: .both, k: 3, sameSubject: true).isEmpty)
        #expect(try services.projection(.pca, mode: .both) == nil)
        #expect(throws: WorkbenchError.self) { try services.trace(12) }
    }

    @Test func neighboursAndProjectionFromTheStore() throws {
        let folder = try Self.makeStore(withModel: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let services = try StoreServices(url: folder.appendingPathComponent("cohort.h5"))
        #expect(services.modelName == "m1")
        let all = try services.neighbours(0, mode: .both, k: 3, sameSubject: true)
        #expect(all.map(\.index) == [1, 2, 3])
        #expect(abs(all[0].similarity - Float(cos(0.2))) < 1e-5)
        #expect(all[0].subject == "P00" && all[0].labels == labelSummary(SyntheticServices.labels(subject: 0)))
        let others = try services.neighbours(0, mode: .ecg, k: 3, sameSubject: false)
        #expect(others.map(\.index) == [4, 5, 6])   // subject P00 (0…3) excluded
        #expect(try services.projection(.pca, mode: .both) == (0..<24).map { Float($0) })
        #expect(try services.projection(.umap, mode: .both) == nil)
    }

    @Test func notAStoreIsAClearError() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-workbench-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("junk.h5")
        try Data("not hdf5".utf8).write(to: url)
        #expect { try StoreServices(url: url) } throws: { "\($0)".contains("junk.h5") }
    }
}
