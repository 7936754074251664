import Foundation
import Testing
import TestSupport
@testable import Store

@Suite struct StoreSummaryTests {
    /// A 70-segment fixture store with one embedded model and one attributes-only model.
    private func store(_ url: URL) throws -> RecordStore {
        try StoreFixtures.write(url, count: 70, attributes: ["generator": "StoreSummaryTests"])
        try StoreEditor.edit(url) { e in
            for mode in [FingerprintMode.both, .ppg] {
                try e.createMatrix(StoreEdit.fingerprintPath(model: "m1", mode: mode), rows: 70, cols: 16)
            }
            try e.createMatrix("/models/m1/projections/umap", rows: 70, cols: 2)
            try e.createMatrix("/models/m1/projections/pca", rows: 70, cols: 2)
            try e.createMatrix("/models/m1/knn/indices", rows: 70, cols: 10)
            try e.setAttributes("/models/m1", ["checkpoint_sha256": "beef"])
            try e.setAttributes("/models/m0", ["note": "not embedded yet"])
            try e.createMatrix("/models/stray", rows: 1, cols: 1)   // a dataset, not a model group
        }
        return try RecordStore(url: url)
    }

    @Test func countsMatchTheFixture() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try StoreSummary(store(url), sliceRows: 7)
        #expect(s.segments == 70 && s.subjects == 3)
        #expect(s.attributes == ["generator": "StoreSummaryTests"])

        // Segments per subject: i % 3 → 24, 23, 23. Subject 0 is fully labelled, 1 partly, 2 not.
        let byField = Dictionary(uniqueKeysWithValues: s.labels.map { ($0.field, $0) })
        #expect(s.labels.map(\.field) == StoreSummary.labelFields)
        #expect(byField["age"]!.subjects == 2 && byField["age"]!.segments == 47)
        #expect(byField["sbp"]!.subjects == 1 && byField["sbp"]!.segments == 24)
        #expect(byField["ppg_class"]!.classes.map(\.subjects) == [0, 0, 1])
        #expect(byField["ecg_class"]!.classes.map(\.name) == ECGClass.names)
        #expect(byField["ecg_class"]!.classes.map(\.subjects) == [0, 1, 0, 0, 1])
        #expect(byField["mortality"]!.classes.map(\.subjects) == [1, 1])
        #expect(byField["sex"]!.classes.map(\.subjects) == [1, 1])

        // Quality counts recomputed from the fixture's rules.
        for m in Modality.allCases {
            let flags = (0..<70).map { StoreFixtures.meta($0).quality(m) }
            let q = try #require(s.quality[m.rawValue])
            #expect(q.clean == flags.filter(\.isEmpty).count)
            #expect(q.flags.map(\.name) == QualityFlags.named.map(\.1))
            #expect(q.flags.map(\.segments) == QualityFlags.named.map { f, _ in flags.filter { $0.contains(f) }.count })
        }
        #expect(s.quality["ppg"]!.flags[0].segments == 14)   // absent: i % 5 == 0

        #expect(s.models.map(\.id) == ["m0", "m1"])
        let m0 = s.models[0], m1 = s.models[1]
        #expect(m0.dim == nil && m0.fingerprints.isEmpty && m0.attributes == ["note": "not embedded yet"])
        #expect(m1.dim == 16)
        #expect(m1.fingerprints == ["ecg+ppg", "ppg"])
        #expect(m1.projections == ["pca", "umap"])
        #expect(m1.matrices.map(\.path) == ["fingerprints/ecg+ppg", "fingerprints/ppg", "knn/indices", "projections/pca", "projections/umap"])
        #expect(m1.matrices[2].shape == [70, 10])
        #expect(m1.attributes == ["checkpoint_sha256": "beef"])
        // Slicing does not change the result.
        #expect(try StoreSummary(RecordStore(url: url)) == s)
    }

    @Test func jsonUsesTheDocumentedKeys() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = try StoreSummary(store(url))
        let data = try JSONEncoder().encode(s)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["path", "format", "schema_version", "segments", "subjects", "attributes", "labels", "labelTable", "quality", "rates", "models"])
        let models = try #require(object["models"] as? [[String: Any]])
        #expect(models[0]["dim"] is NSNull)
        #expect(models[1]["dim"] as? Int == 16)
        let quality = try #require(object["quality"] as? [String: [String: Any]])
        #expect(Set(quality.keys) == ["ecg", "ppg"])
        let rates = try #require(object["rates"] as? [String: Any])
        #expect(Set(rates.keys) == ["ecg_segments", "median_heart_rate_bpm", "ppg_segments", "median_pulse_rate_bpm",
                                    "paired_segments", "disagreeing_segments"])
        #expect(rates["paired_segments"] is Int)
        #expect(try JSONDecoder().decode(StoreSummary.self, from: data) == s)
    }

    @Test func tableShowsEverySection() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try StoreSummary(store(url)).table().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "store     \(url.path)  (m2ae-store v1)")
        #expect(lines[1] == "segments  70  (12 min of paired ECG/PPG)")
        #expect(lines.contains("  ecg_class           2        47  NSR 0 · AF 1 · PVC 0 · MI 0 · BBB 1"))
        #expect(lines.contains("quality          clean   absent     flat  clipped  wrapped  nan-run    noisy"))
        #expect(lines.contains("  ppg               37       14        0       19        0        0        0"))
        #expect(lines.contains("  m0  no fingerprints"))
        #expect(lines.contains("  m1  dim 16  fingerprints ecg+ppg, ppg  projections pca, umap"))
        #expect(lines.contains("    knn/indices 70×10"))
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    }

    /// Segment `i` beats at 60 + 4·i bpm in the ECG; its PPG pulses at the same rate except
    /// segments 3 and 7 (20 bpm faster); segment 5's ECG is flagged noisy.
    private func beatingStore(_ url: URL) throws {
        let rate = SegmentFormat.sampleRate
        func train(_ bpm: Double, width: Double, delay: Double) -> [Float] {
            (0..<SegmentFormat.samples).map { j in
                let t = Double(j) / rate, period = 60 / bpm
                var v = 0.0
                for k in 0..<Int(10 / period + 2) {
                    let d = (t - Double(k) * period - delay) / width
                    v += exp(-d * d)
                }
                return Float(v)
            }
        }
        let segments = (0..<12).map { i in
            let bpm = 60 + 4 * Double(i)
            var meta = StoreFixtures.meta(i)
            meta.ecgQuality = i == 5 ? [.noisy] : []
            meta.ppgQuality = []
            return Segment(meta: meta, ecg: train(bpm, width: 0.012, delay: 0.1),
                           ppg: train(i == 3 || i == 7 ? bpm + 20 : bpm, width: 0.1, delay: 0.35))
        }
        let w = try StoreWriter(url: url, subjects: StoreFixtures.subjects, attributes: [:])
        try w.append(segments)
        try w.commit()
    }

    @Test func heartRateBesidePulseRate() throws {
        let (dir, url) = try StoreFixtures.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        try beatingStore(url)
        let store = try RecordStore(url: url)
        let r = try StoreSummary(store, signalRows: 5).rates
        #expect(r.ecgSegments == 11 && r.ppgSegments == 12)
        #expect(r.pairedSegments == 11 && r.disagreeingSegments == 2)
        // The medians are those of the per-segment rates, each close to the rate generated.
        let heart = try (0..<12).filter { $0 != 5 }.map { try #require(HeartRate.ecg(store.segment($0).ecg, rate: 125)) }
        for (i, h) in zip((0..<12).filter { $0 != 5 }, heart) { #expect(abs(h - (60 + 4 * Double(i))) <= 2) }
        #expect(r.medianHeartRate == heart.sorted()[5])
        let pulse = try (0..<12).map { try #require(HeartRate.ppg(store.segment($0).ppg, rate: 125)) }.sorted()
        #expect(r.medianPulseRate == (pulse[5] + pulse[6]) / 2)
        #expect(abs(r.medianPulseRate! - 88) <= 2)
        #expect(try StoreSummary(store).rates == r)
        let table = try StoreSummary(store).table()
        #expect(table.contains("  apart > 10 bpm: 2 of 11 segments with both"), "\(table)")
    }

    @Test func numberFormatting() {
        #expect(StoreSummary.grouped(0) == "0")
        #expect(StoreSummary.grouped(999) == "999")
        #expect(StoreSummary.grouped(1_234_567) == "1,234,567")
        #expect(StoreSummary.hours(360) == "1 h 00 min")
        #expect(StoreSummary.hours(100_000) == "277 h 47 min")
    }
}
