import Analytics
import Foundation
import Model
import Store

extension Familiarity {
    /// Calibrates from one store holding `model`'s fingerprints, with the fixed subject-level
    /// split of `m2ae evaluate` (`SubjectSplit`, same seed): training subjects give the
    /// reference, held-out subjects the calibration. With `model`, the held-out segments' masked
    /// reconstructions (at most `maxReconstructed`, evenly spaced) calibrate the second measure.
    /// - Complexity: reads every fingerprint once (memory O(segments · dim) per mode) and runs
    ///   the model on up to `maxReconstructed` segments.
    public static func calibrate(store: RecordStore, modelID: String, model: M2AEModel?, k: Int = defaultK,
                                 coverage: Double = defaultCoverage, seed: UInt64 = 2024, maskSeed: UInt64 = 0) throws -> Familiarity {
        let segmentSubjects = try StoreFingerprints.subjects(store)
        let present = Array(Set(segmentSubjects)).sorted()
        let split = try SubjectSplit(subjects: present.count, seed: seed)
        let testSet = Set(split.test.map { present[$0] })
        let trainRows = segmentSubjects.indices.filter { !testSet.contains(segmentSubjects[$0]) }
        let testRows = segmentSubjects.indices.filter { testSet.contains(segmentSubjects[$0]) }
        var modes: [String: Reference] = [:]
        for mode in FingerprintMode.allCases {
            let fp = try StoreFingerprints(store: store, model: modelID, mode: mode)
            modes[mode.rawValue] = try fitReference(train: try EvaluationRunner.gather(fp, trainRows), heldOut: try EvaluationRunner.gather(fp, testRows),
                                                    dim: fp.dim, k: k, coverage: coverage, seed: seed)
        }
        var familiarity = Familiarity(k: k, coverage: coverage, calibratedOn: store.url.path, modes: modes)
        guard let model else { return familiarity }
        let step = max(1, (testRows.count + maxReconstructed - 1) / maxReconstructed)
        let rows = stride(from: 0, to: testRows.count, by: step).map { testRows[$0] }
        let errors = try reconstructionErrors(store: store, rows: rows, model: model, maskSeed: maskSeed)
        let finite = errors.compactMap { $0 }.filter(\.isFinite).sorted()
        guard finite.count >= 20 else {
            throw AnalyticsError("familiarity: \(finite.count) held-out segments with both modalities, at least 20 needed to calibrate the reconstruction error")
        }
        familiarity.reconstruction = Reconstruction(maskSeed: maskSeed, calibration: finite, threshold: quantile(finite, perMeasure(coverage)))
        // The share of these held-out segments that pass both measures (ECG+PPG fingerprint).
        let fp = try StoreFingerprints(store: store, model: modelID, mode: .both)
        let scored = familiarity.scores(try EvaluationRunner.gather(fp, rows), mode: .both, reconstructionErrors: errors) ?? []
        let judged = scored.compactMap { $0 }.filter { $0.reconstructionError != nil }
        familiarity.heldOutPass = judged.isEmpty ? nil : Double(judged.filter(\.reliable).count) / Double(judged.count)
        return familiarity
    }

    /// The masked-reconstruction RMSE of segments `rows` (ascending), nil where a modality is
    /// missing; runs contiguous runs of rows as one range each.
    public static func reconstructionErrors(store: RecordStore, rows: [Int], model: M2AEModel, maskSeed: UInt64 = 0) throws -> [Float?] {
        let r = Reconstructor(model: model, batchSize: 64, maskSeed: maskSeed)
        var out: [Float?] = []; out.reserveCapacity(rows.count)
        var i = 0
        while i < rows.count {
            var j = i + 1
            while j < rows.count, rows[j] == rows[j - 1] + 1, j - i < 1024 { j += 1 }
            out += try r.scores(store: store, rows[i] ..< rows[j - 1] + 1, from: .masked).map { $0.map { Float($0.rmse) } }
            i = j
        }
        return out
    }
}
