import Foundation
import Store
import Signals

// MARK: - Services over a real store

/// The workbench's services over an m2ae store: records and traces from `RecordStore`
/// (read by slices), beats from `Signals`, neighbours by exact cosine search over the stored
/// fingerprints and projections from `/models/<id>/projections/{pca,umap}`.
///
/// Not yet wired (they return nil / empty until the model and analytics land, see
/// docs/workbench.md "Seams"): reconstruction, predictions and predicted risk.
/// Not thread-safe (HDF5 is not): the runtime calls it from one serial queue.
public final class StoreServices: WorkbenchServices, @unchecked Sendable {
    private let store: RecordStore
    public let storeName: String
    public let modelName: String?
    /// Rows read per HDF5 slice.
    private let sliceRows = 8192
    /// Fingerprints kept in memory per mode once read, when they fit `cacheLimit` bytes.
    private var fingerprintCache: [FingerprintMode: [Float]] = [:]
    private let cacheLimit = 64 << 20

    /// Opens the store at `url`; the model shown is the first one (by name) with fingerprints.
    public init(url: URL) throws {
        let opened: RecordStore
        do { opened = try RecordStore(url: url) } catch { throw WorkbenchError("\(error)") }
        store = opened
        storeName = url.lastPathComponent
        modelName = opened.modelIDs.sorted().first { (try? opened.fingerprintDim(model: $0)) != nil }
    }

    // MARK: - Records and traces

    public func records() throws -> [RecordRow] {
        try wrap {
            let subjects = store.subjects
            var rows: [RecordRow] = []
            rows.reserveCapacity(store.segmentCount)
            for lo in stride(from: 0, to: store.segmentCount, by: sliceRows) {
                let range = lo..<min(store.segmentCount, lo + sliceRows)
                for (k, m) in try store.meta(range).enumerated() {
                    let s = Int(m.subjectIndex)
                    let subject = subjects.indices.contains(s) ? subjects[s] : Subject(id: "?")
                    rows.append(RecordRow(index: range.lowerBound + k, subjectIndex: s, subject: subject.id, record: m.record,
                                          start: m.start, labels: subject.labels, ecgQuality: m.ecgQuality, ppgQuality: m.ppgQuality))
                }
            }
            return rows
        }
    }

    public func trace(_ index: Int) throws -> TraceData {
        try wrap {
            let seg = try store.segment(index)
            let rate = SegmentFormat.sampleRate
            let hasECG = !seg.meta.ecgQuality.contains(.absent) && seg.ecg.contains { $0.isFinite }
            let hasPPG = !seg.meta.ppgQuality.contains(.absent) && seg.ppg.contains { $0.isFinite }
            let rPeaks = hasECG ? RPeakDetector.detect(seg.ecg, rate: rate) : []
            let pulse = hasPPG ? PulseDetector.detect(seg.ppg, rate: rate) : PulseFiducials(peaks: [], onsets: [])
            let delays = PulseArrival.seconds(rPeaks: rPeaks, pulse: pulse, rate: rate).sorted()
            return TraceData(index: index, ecg: seg.ecg, ppg: seg.ppg, rPeaks: rPeaks, ppgPeaks: pulse.peaks,
                             heartRate: HeartRate.bpm(peaks: rPeaks, rate: rate), pulseArrival: delays.isEmpty ? nil : delays[delays.count / 2],
                             ecgQuality: seg.meta.ecgQuality, ppgQuality: seg.meta.ppgQuality)
        }
    }

    // MARK: - Fingerprint analyses

    public func neighbours(_ index: Int, mode: FingerprintMode, k: Int, sameSubject: Bool) throws -> [Neighbour] {
        guard let model = modelName else { return [] }
        return try wrap {
            let dim = try store.fingerprintDim(model: model)
            let query = try store.fingerprints(model: model, mode: mode, index..<(index + 1))
            let qn = norm(query[...])
            guard qn > 0 else { return [] }
            let subjectOf = try store.subjectIndices(index..<(index + 1))[0]
            var best: [(sim: Float, index: Int)] = []
            try forEachFingerprintSlice(model: model, mode: mode) { lo, block in
                let subjects = sameSubject ? [] : try store.subjectIndices(lo..<(lo + block.count / dim))
                for r in 0..<(block.count / dim) where lo + r != index {
                    if !sameSubject && subjects[r] == subjectOf { continue }
                    let row = block[(r * dim)..<((r + 1) * dim)]
                    var dot: Float = 0
                    for d in 0..<dim { dot += query[d] * row[row.startIndex + d] }
                    let n = norm(row)
                    guard n > 0 else { continue }
                    let sim = dot / (qn * n)
                    if best.count < k || sim > best[best.count - 1].sim {
                        let at = best.firstIndex { $0.sim < sim } ?? best.count
                        best.insert((sim, lo + r), at: at)
                        if best.count > k { best.removeLast() }
                    }
                }
            }
            let subjects = store.subjects
            return try best.map { hit in
                let s = Int(try store.subjectIndices(hit.index..<(hit.index + 1))[0])
                let subject = subjects.indices.contains(s) ? subjects[s] : Subject(id: "?")
                return Neighbour(index: hit.index, similarity: hit.sim, subject: subject.id, labels: labelSummary(subject.labels))
            }
        }
    }

    public func projection(_ method: ProjectionMethod, mode: FingerprintMode) throws -> [Float]? {
        guard let model = modelName else { return nil }
        return try wrap {
            // A mode-specific map (`pca-ecg`) wins over the default one (`pca`, of ECG+PPG).
            let base = StoreLayout.projections(model: model) + "/" + method.rawValue
            for path in [base + "-" + mode.rawValue, base] where mode == .both ? path == base : true {
                guard let shape = try store.matrixShape(path), shape.rows == store.segmentCount, shape.cols >= 2 else { continue }
                if shape.cols == 2 { return try store.matrix(path, rows: 0..<shape.rows) }
                let m = try store.matrix(path, rows: 0..<shape.rows)
                return (0..<shape.rows).flatMap { [m[$0 * shape.cols], m[$0 * shape.cols + 1]] }
            }
            return nil
        }
    }

    /// Needs the trained model (reconstruction); nil until the model is wired.
    public func reconstruct(_ index: Int, mode: ReconstructionMode, mask: [Bool]) throws -> Reconstruction? { nil }

    /// Needs the analytics probes; empty until they are wired.
    public func predictions(_ index: Int, mode: FingerprintMode) throws -> [Prediction] { [] }

    /// Needs the analytics probes; nil until they are wired.
    public func risk(mode: FingerprintMode) throws -> [Float]? { nil }

    // MARK: - Internals

    /// Calls `body(firstRow, rows)` for each slice of the (N, dim) fingerprints, from memory
    /// when cached, else from the store (and caches them if they fit `cacheLimit`).
    private func forEachFingerprintSlice(model: String, mode: FingerprintMode, _ body: (Int, ArraySlice<Float>) throws -> Void) throws {
        let dim = try store.fingerprintDim(model: model)
        if let all = fingerprintCache[mode] { try body(0, all[...]); return }
        let cache = store.segmentCount * dim * 4 <= cacheLimit
        var kept: [Float] = []
        for lo in stride(from: 0, to: store.segmentCount, by: sliceRows) {
            let block = try store.fingerprints(model: model, mode: mode, lo..<min(store.segmentCount, lo + sliceRows))
            try body(lo, block[...])
            if cache { kept += block }
        }
        if cache { fingerprintCache[mode] = kept }
    }

    private func norm(_ x: ArraySlice<Float>) -> Float {
        var s: Float = 0
        for v in x { s += v * v }
        return s.squareRoot()
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as WorkbenchError { throw e } catch { throw WorkbenchError("\(error)") }
    }
}
