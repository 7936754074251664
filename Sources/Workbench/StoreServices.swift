import Foundation
import Store
import Signals
import Analytics
import Query

// MARK: - Services over a real store

/// The workbench's services over an m2ae store: records and traces from `RecordStore`
/// (read by slices), beats from `Signals`; neighbours, predictions with their familiarity and
/// the saved projections from the query layer (`StoreQuery`, the code `m2ae knn` and
/// `m2ae predict` run), and a PCA map it computes on request; with the model's checkpoint,
/// reconstruction by its decoder and risk by its probe heads (`<checkpoint>.probes.json`).
/// Not thread-safe (HDF5 is not): the runtime calls it from one serial queue.
public final class StoreServices: WorkbenchServices, @unchecked Sendable {
    private let store: RecordStore
    public let storeName: String
    public var hasWaveforms: Bool { store.hasWaveforms }
    public var storeLabels: [Label] { store.labels }
    public let modelName: String?
    public let notice: String?
    /// The checkpoint of `modelName`, nil without one (or when it is another model's).
    private let runner: ModelRunner?
    /// PCA maps computed on request (`computeProjection`), (N, 2) per mode; never written to the store.
    private var computedPCA: [FingerprintMode: [Float]] = [:]
    /// Rows read per HDF5 slice.
    private let sliceRows = 8192
    /// The questions shared with the command line: neighbours, predictions, saved maps.
    private let query: StoreQuery
    /// The last prediction asked for (segment, mode), shared by `predictions` and `familiarity`.
    private var lastPrediction: (index: Int, mode: FingerprintMode, prediction: Prediction?)?
    /// Risk per segment per mode once computed (N floats each): switching modes back and forth
    /// does not rerun the probe over the store.
    private var riskCache: [FingerprintMode: [Float]] = [:]
    private var unfamiliarCache: [FingerprintMode: [Bool]] = [:]

    /// Whether the model runs here (a checkpoint embedded in this store was given):
    /// reconstruction, predictions and risk are live.
    public var runsModel: Bool { runner != nil }
    /// The checkpoint's patches per segment (the default without one).
    public var patchCount: Int { runner?.model.config.numPatches ?? AppState.defaultPatchCount }

    /// Opens the store at `url`, and the checkpoint when given.
    ///
    /// With a checkpoint whose model id has fingerprints in the store, that model is shown
    /// and reconstruction, predictions and risk are live. Otherwise the model shown is the
    /// first one (by name) with fingerprints, the model-run panes stay empty, and `notice`
    /// says why (no checkpoint, or the checkpoint is a model this store was not embedded with).
    /// - Throws: `WorkbenchError` when the store or the checkpoint cannot be read.
    public init(url: URL, checkpoint: URL? = nil) throws {
        let opened: RecordStore
        do { opened = try RecordStore(url: url) } catch { throw WorkbenchError("\(error)") }
        store = opened
        query = StoreQuery(store: opened)
        storeName = url.lastPathComponent
        let embedded = opened.modelIDs.sorted().filter { (try? opened.fingerprintDim(model: $0)) != nil }
        let loaded = try checkpoint.map { try ModelRunner(checkpoint: $0) }
        if let loaded, embedded.contains(loaded.model.id) {
            runner = loaded
            modelName = loaded.model.id
            notice = loaded.probesProblem
                ?? (loaded.probes == nil ? "\(ProbeFile.location(checkpoint: loaded.checkpoint).lastPathComponent): no probe heads (m2ae evaluate); predictions and risk off" : nil)
        } else {
            runner = nil
            modelName = embedded.first
            if let loaded {
                let here = embedded.isEmpty ? "none" : embedded.joined(separator: ", ")
                notice = "model \(loaded.model.id) (\(loaded.checkpoint.lastPathComponent)) not embedded in \(storeName): models here \(here); run m2ae embed"
            } else {
                notice = embedded.isEmpty ? nil : "no checkpoint (--model CKPT): reconstruction, predictions and risk off"
            }
        }
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
            let hasECG = Modality.isPresent(seg.ecg, flags: seg.meta.ecgQuality)
            let hasPPG = Modality.isPresent(seg.ppg, flags: seg.meta.ppgQuality)
            let rPeaks = hasECG ? RPeakDetector.detect(seg.ecg, rate: rate) : []
            let pulse = hasPPG ? PulseDetector.detect(seg.ppg, rate: rate) : PulseFiducials(peaks: [], onsets: [])
            let delays = PulseArrival.seconds(rPeaks: rPeaks, pulse: pulse, rate: rate).sorted()
            return TraceData(index: index, ecg: seg.ecg, ppg: seg.ppg, rPeaks: rPeaks, ppgPeaks: pulse.peaks,
                             heartRate: HeartRate.bpm(peaks: rPeaks, rate: rate), pulseRate: HeartRate.bpm(peaks: pulse.peaks, rate: rate),
                             pulseArrival: delays.isEmpty ? nil : delays[delays.count / 2],
                             ecgQuality: seg.meta.ecgQuality, ppgQuality: seg.meta.ppgQuality)
        }
    }

    // MARK: - Fingerprint analyses

    /// `StoreQuery.neighbours` (what `m2ae knn` answers), as pane rows with each subject's
    /// labels; empty without a model or when segment `index` has no `mode` fingerprint.
    public func neighbours(_ index: Int, mode: FingerprintMode, k: Int, sameSubject: Bool) throws -> [NeighbourRow] {
        guard let model = modelName else { return [] }
        return try wrap {
            guard try query.hasFingerprint(index, model: model, mode: mode) else { return [] }
            let report = try query.neighbours(of: index, model: model, mode: mode, k: k, excludeSameSubject: !sameSubject)
            return try report.neighbours.map { hit in
                NeighbourRow(index: hit.segment, similarity: hit.score, subject: hit.subject,
                             labels: labelSummary(try query.subject(ofSegment: hit.segment).labels))
            }
        }
    }

    public func projection(_ method: ProjectionMethod, mode: FingerprintMode) throws -> [Float]? {
        guard let model = modelName else { return nil }
        return try wrap {
            if let saved = try query.projection(method.rawValue, model: model, mode: mode) { return saved }
            return computedPCA[mode].flatMap { method == .pca ? $0 : nil }
        }
    }

    /// `StoreQuery.pcaMap` of the fingerprints of `mode`, kept in memory for this session.
    public func computeProjection(mode: FingerprintMode) throws -> [Float]? {
        guard let model = modelName else { return nil }
        if let done = computedPCA[mode] { return done }
        return try wrap {
            let out = try query.pcaMap(model: model, mode: mode)
            computedPCA[mode] = out
            return out
        }
    }

    // MARK: - Model runs

    /// The checkpoint's decoder on segment `index` (see `ModelRunner.reconstruct`); nil without a checkpoint.
    public func reconstruct(_ index: Int, mode: ReconstructionMode, mask: [Bool]) throws -> Reconstruction? {
        guard let runner else { return nil }
        return try wrap { try runner.reconstruct(try store.segment(index), index: index, mode: mode, mask: mask, store: storeName) }
    }

    /// `StoreQuery.prediction` (what `m2ae predict` answers) for segment `index`, as pane rows
    /// with the subject's labels as truth; empty without probes or when the segment has no
    /// `mode` fingerprint. Its familiarity is kept for `familiarity(_:mode:)`.
    public func predictions(_ index: Int, mode: FingerprintMode) throws -> [PredictionRow] {
        guard let runner, let probes = runner.probes else { return [] }
        return try wrap {
            guard let p = try prediction(index, mode: mode) else { return [] }
            let labels = try query.subject(ofSegment: index).labels
            let builtIn = p.outputs.compactMap { o -> PredictionRow? in
                guard let head = probes.heads[o.task.rawValue]?[mode.rawValue] else { return nil }
                let truth = o.task.label(labels).map { v -> String in
                    if let classes = o.task.classes { return classes.indices.contains(Int(v)) ? classes[Int(v)] : "?" }
                    return String(format: "%.0f", v)
                }
                if head.kind == .ridge { return PredictionRow(task: o.task.title, value: o.value, unit: head.labels.first ?? "", truth: truth) }
                return PredictionRow(task: o.task.title, classes: head.labels.map { (name: $0, probability: o.probabilities?[$0] ?? .nan) }, truth: truth)
            }
            return builtIn + (try labelRows(p, segment: index))
        }
    }

    /// The rows of the store's own labels (`m2ae label`, heads in the probes file's
    /// `labelHeads`), in name order, each beside the segment's value in the label table.
    private func labelRows(_ p: Prediction, segment: Int) throws -> [PredictionRow] {
        guard let outputs = p.labelOutputs, !outputs.isEmpty else { return [] }
        let subject = try query.subjectIndex(segment)
        let table = Dictionary(store.labels.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return outputs.map { o in
            let label = table[o.label]
            let value = label?.value(segment: segment, subjectIndex: subject)
            if let v = o.value {
                return PredictionRow(task: o.label, value: v, truth: value.map { String(format: "%.3g", $0) })
            }
            let names = o.probabilities.map { $0.keys.sorted { a, b in
                // The label's own class order where the store has it, else by name.
                (label?.classes.firstIndex(of: a) ?? Int.max, a) < (label?.classes.firstIndex(of: b) ?? Int.max, b)
            } } ?? []
            return PredictionRow(task: o.label, classes: names.map { (name: $0, probability: o.probabilities?[$0] ?? .nan) },
                                 truth: label?.className(value))
        }
    }

    /// 1 − P(normal rhythm) per segment from the CVD probe of `mode` (ECG head for ECG+PPG and
    /// ECG, PPG head for PPG), read in slices; NaN where the fingerprint is missing. Nil
    /// without probes. Computed once per mode, then served from memory.
    public func risk(mode: FingerprintMode) throws -> [Float]? {
        guard let runner, let model = modelName, let (head, normal) = runner.riskHead(mode: mode) else { return nil }
        if let cached = riskCache[mode] { return cached }
        let computed = try wrap {
            var out: [Float] = []
            out.reserveCapacity(store.segmentCount)
            for lo in stride(from: 0, to: store.segmentCount, by: sliceRows) {
                let rows = try store.fingerprints(model: model, mode: mode, lo..<min(store.segmentCount, lo + sliceRows))
                out += ModelRunner.risk(rows, head: head, normal: normal)
            }
            return out
        }
        riskCache[mode] = computed
        return computed
    }

    /// True when the probe heads learned from generated labels only.
    public var probesFromGeneratedLabels: Bool { runner?.probes?.labelsGenerated ?? false }

    /// Segment `index`'s familiarity: the one `StoreQuery.prediction` gives (its `mode`
    /// fingerprint's distance and its masked reconstruction, one forward pass, against the
    /// probes file's calibration).
    public func familiarity(_ index: Int, mode: FingerprintMode) throws -> FamiliarityMark {
        guard runner?.probes?.familiarity != nil else { return .unknown }
        return try wrap {
            guard let score = try prediction(index, mode: mode)?.familiarity else { return .unknown }
            return score.reliable ? .familiar(score.familiarity) : .unfamiliar(score.familiarity)
        }
    }

    /// Per segment, whether its `mode` fingerprint fails the distance half of the familiarity
    /// check (false where it has no fingerprint), read in slices; computed once per mode.
    public func unfamiliar(mode: FingerprintMode) throws -> [Bool]? {
        guard let runner, let model = modelName, let f = runner.probes?.familiarity else { return nil }
        if let cached = unfamiliarCache[mode] { return cached }
        let computed = try wrap {
            var out: [Bool] = []
            out.reserveCapacity(store.segmentCount)
            for lo in stride(from: 0, to: store.segmentCount, by: sliceRows) {
                let rows = try store.fingerprints(model: model, mode: mode, lo..<min(store.segmentCount, lo + sliceRows))
                guard let scores = f.scores(rows, mode: mode) else { return nil as [Bool]? }
                out += scores.map { $0.map { !$0.reliable } ?? false }
            }
            return out
        }
        unfamiliarCache[mode] = computed
        return computed
    }

    // MARK: - Internals

    /// The query layer's prediction for (index, mode) with the checkpoint's model, nil when the
    /// segment has no `mode` fingerprint; the last one is kept, as the Predictions pane asks
    /// for the predictions and then the familiarity of the same segment.
    private func prediction(_ index: Int, mode: FingerprintMode) throws -> Prediction? {
        guard let runner, let probes = runner.probes else { return nil }
        if let last = lastPrediction, last.index == index, last.mode == mode { return last.prediction }
        let p = try query.hasFingerprint(index, model: probes.modelID, mode: mode)
            ? try query.prediction(of: index, probes: probes, mode: mode, model: runner.model) : nil
        lastPrediction = (index, mode, p)
        return p
    }

    private func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as WorkbenchError { throw e } catch { throw WorkbenchError("\(error)") }
    }
}
