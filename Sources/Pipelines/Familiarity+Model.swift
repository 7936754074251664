import Analytics
import Foundation
import Model
import Store

extension Familiarity {
    /// Calibrates from one store holding `model`'s fingerprints (`calibrate(stores:…)` with one store).
    public static func calibrate(store: RecordStore, modelID: String, model: M2AEModel?, k: Int = defaultK,
                                 coverage: Double = defaultCoverage, seed: UInt64 = 2024, maskSeed: UInt64 = 0) throws -> Familiarity {
        try calibrate(stores: [store], modelID: modelID, model: model, k: k, coverage: coverage, seed: seed, maskSeed: maskSeed)
    }

    /// Calibrates from stores holding `model`'s fingerprints, one per in-domain source (a model
    /// trained on generated people and recordings is calibrated on a store of each). Each store
    /// is split by subject as `m2ae evaluate` splits it (`SubjectSplit`, same seed): training
    /// subjects give the reference (an equal share per store), held-out subjects the
    /// calibration. With `model`, the held-out segments' masked reconstructions (at most
    /// `maxReconstructed` over all stores, evenly spaced within each) calibrate the second
    /// measure. Each threshold is the largest of the stores' own quantiles, so at least
    /// `coverage` of every store's held-out segments pass; `heldOutPassByStore` records the
    /// share measured on each.
    /// - Complexity: reads every fingerprint once (memory O(segments · dim) per mode and store)
    ///   and runs the model on up to `maxReconstructed` segments.
    public static func calibrate(stores: [RecordStore], modelID: String, model: M2AEModel?, k: Int = defaultK,
                                 coverage: Double = defaultCoverage, seed: UInt64 = 2024, maskSeed: UInt64 = 0) throws -> Familiarity {
        guard !stores.isEmpty else { throw AnalyticsError("familiarity: no store to calibrate on") }
        var splits: [(train: [Int], test: [Int])] = []
        for store in stores {
            let segmentSubjects = try StoreFingerprints.subjects(store)
            let present = Array(Set(segmentSubjects)).sorted()
            let split: SubjectSplit
            do { split = try SubjectSplit(subjects: present.count, seed: seed) } catch { throw AnalyticsError("\(store.url.path): \(error)") }
            let testSet = Set(split.test.map { present[$0] })
            splits.append((segmentSubjects.indices.filter { !testSet.contains(segmentSubjects[$0]) },
                           segmentSubjects.indices.filter { testSet.contains(segmentSubjects[$0]) }))
        }
        var modes: [String: Reference] = [:]
        for mode in FingerprintMode.allCases {
            var parts: [(train: [Float], heldOut: [Float])] = []
            var dim = 0
            for (store, split) in zip(stores, splits) {
                let fp = try StoreFingerprints(store: store, model: modelID, mode: mode)
                dim = fp.dim
                parts.append((try EvaluationRunner.gather(fp, split.train), try EvaluationRunner.gather(fp, split.test)))
            }
            do {
                modes[mode.rawValue] = try fitReference(parts: parts, dim: dim, k: k, coverage: coverage, seed: seed)
            } catch let e as AnalyticsError where stores.count > 1 {
                throw AnalyticsError("\(stores.map(\.url.lastPathComponent).joined(separator: ", ")): \(e.description)")
            }
        }
        var familiarity = Familiarity(k: k, coverage: coverage, calibratedOn: stores.map(\.url.path).joined(separator: " + "), modes: modes)
        guard let model else { return familiarity }
        let perStore = max(20, maxReconstructed / stores.count)
        var picked: [[Int]] = [], errors: [[Float?]] = [], threshold = -Float.infinity, all: [Float] = []
        for (store, split) in zip(stores, splits) {
            let step = max(1, (split.test.count + perStore - 1) / perStore)
            let rows = stride(from: 0, to: split.test.count, by: step).map { split.test[$0] }
            let e = try reconstructionErrors(store: store, rows: rows, model: model, maskSeed: maskSeed)
            let finite = e.compactMap { $0 }.filter(\.isFinite).sorted()
            guard finite.count >= 20 else {
                throw AnalyticsError("\(store.url.path): familiarity: \(finite.count) held-out segments with both modalities, at least 20 needed to calibrate the reconstruction error")
            }
            threshold = max(threshold, quantile(finite, perMeasure(coverage)))
            all += finite
            picked.append(rows); errors.append(e)
        }
        familiarity.reconstruction = Reconstruction(maskSeed: maskSeed, calibration: all.sorted(), threshold: threshold)
        // The share of each store's held-out segments that pass both measures (ECG+PPG fingerprint).
        var passed = 0, judgedAll = 0, byStore: [String: Double] = [:]
        for (i, store) in stores.enumerated() {
            let fp = try StoreFingerprints(store: store, model: modelID, mode: .both)
            let scored = familiarity.scores(try EvaluationRunner.gather(fp, picked[i]), mode: .both, reconstructionErrors: errors[i]) ?? []
            let judged = scored.compactMap { $0 }.filter { $0.reconstructionError != nil }
            let ok = judged.filter(\.reliable).count
            passed += ok; judgedAll += judged.count
            if !judged.isEmpty { byStore[store.url.path] = Double(ok) / Double(judged.count) }
        }
        familiarity.heldOutPass = judgedAll == 0 ? nil : Double(passed) / Double(judgedAll)
        if stores.count > 1 { familiarity.heldOutPassByStore = byStore }
        return familiarity
    }

    /// The masked-reconstruction RMSE of segments `rows` (ascending), nil where a modality is
    /// missing; runs contiguous runs of rows as one range each, on `threads` cores when more
    /// than one (`Reconstructor.scores(store:_:from:threads:)`: the same values).
    public static func reconstructionErrors(store: RecordStore, rows: [Int], model: M2AEModel, maskSeed: UInt64 = 0,
                                            threads: Int = 1) throws -> [Float?] {
        let r = Reconstructor(model: model, batchSize: 64, maskSeed: maskSeed)
        var out: [Float?] = []; out.reserveCapacity(rows.count)
        var i = 0
        while i < rows.count {
            var j = i + 1
            while j < rows.count, rows[j] == rows[j - 1] + 1, j - i < 1024 { j += 1 }
            let range = rows[i] ..< rows[j - 1] + 1
            let scores = threads > 1 ? try r.scores(store: store, range, from: .masked, threads: threads)
                                     : try r.scores(store: store, range, from: .masked)
            out += scores.map { $0.map { Float($0.rmse) } }
            i = j
        }
        return out
    }
}
