import Foundation
import Model
import Signals
import Store

/// Writes the three fingerprint modes of every segment of a store under a model's id
/// (`/models/<id>/fingerprints/{ecg+ppg,ecg,ppg}`, each [N, f]): what `m2ae embed` runs.
///
/// - Batched: segments are read, prepared (`DeviceDelay.prepared`) and embedded
///   `batchSize` per thread at a time, on `threads` cores (`FingerprintWorkers`, one
///   preallocated inference `Workspace` each).
/// - Resumable: finished batches are appended to a progress file beside the store
///   (`EmbedProgressFile`); a rerun after a crash or Ctrl-C continues from there.
/// - Atomic per model: the store changes only at the end, in one `StoreEditor.edit`, so it
///   holds either all of the model's fingerprints or none; the edit is refused when the store
///   was replaced or changed while the fingerprints were computed (their signals were another
///   file's), and a progress file made from another version of the store is not resumed.
/// - Memory bounded: signals are read by batch and fingerprints copied in chunks.
public struct Embedder {
    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var modelID: String
        public var segments: Int
        /// Segments found already done in a progress file.
        public var resumedFrom: Int
        /// True when the store already held this model's fingerprints (nothing was done).
        public var alreadyEmbedded: Bool
    }

    public let model: M2AEModel
    public let batchSize: Int
    public let threads: Int

    /// - Parameters:
    ///   - model: the model whose fingerprints are written.
    ///   - batchSize: segments per thread per forward pass (16 = one tile of
    ///     `fingerprintsAllModes`; each thread's workspace then holds about 65 MB for `small`).
    ///   - threads: cores to embed on; `batchSize × threads` segments are read and appended to
    ///     the progress file at a time.
    public init(model: M2AEModel, batchSize: Int = 16, threads: Int = 1) {
        self.model = model
        self.batchSize = max(1, batchSize)
        self.threads = max(1, threads)
    }

    /// Embeds every segment of the store at `url`.
    /// - Parameters:
    ///   - force: recompute even when the store already has this model's fingerprints.
    ///   - stopAfter: testing hook: throw `EmbedInterrupted` after this many batches (a crash).
    ///   - progress: called after each batch with (segments done, total).
    public func run(store url: URL, force: Bool = false, stopAfter: Int? = nil,
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> Summary {
        let store = try RecordStore(url: url)
        let id = model.id, f = model.config.fingerprintDim, N = store.segmentCount
        if !force, store.modelIDs.contains(id),
           FingerprintMode.allCases.allSatisfy({ (try? store.matrixShape(StoreEdit.fingerprintPath(model: id, mode: $0)))??.rows == N }) {
            return Summary(modelID: id, segments: N, resumedFrom: N, alreadyEmbedded: true)
        }
        let partial = try EmbedProgressFile(url: EmbedProgressFile.location(store: url, modelID: id),
                                            rowFloats: 3 * f, totalRows: N, storeTag: store.identity.digest)
        let resumed = partial.rowsDone
        let workers = FingerprintWorkers(model: model, threads: threads, maxSegments: batchSize * threads)
        let S = model.config.segmentSamples
        var start = resumed, batches = 0
        progress(start, N)
        while start < N {
            let range = start..<min(start + batchSize * threads, N)
            var ecg = try store.signals(.ecg, range), ppg = try store.signals(.ppg, range)
            let meta = try store.meta(range)
            guard ecg.count == range.count * S, ppg.count == range.count * S else {
                throw EmbedError(path: url.path, reason: "segments \(range) do not have \(S) samples per modality")
            }
            var present: [(ecg: Bool, ppg: Bool)] = []
            for (i, m) in meta.enumerated() {
                let e = Self.prepare(&ecg, i, S, .ecg, m), p = Self.prepare(&ppg, i, S, .ppg, m)
                present.append((e, p))
            }
            let rows = try workers.fingerprints(ecg: ecg, ppg: ppg, present: present)
            try partial.append(rows)
            start = range.upperBound
            batches += 1
            progress(start, N)
            if let stopAfter, batches >= stopAfter, start < N { throw EmbedInterrupted(segmentsDone: start) }
        }
        try StoreEditor.edit(url, expecting: store.identity) { edit in
            for mode in FingerprintMode.allCases {
                try edit.createMatrix(StoreEdit.fingerprintPath(model: id, mode: mode), rows: N, cols: f)
            }
            let chunk = 4096
            for lo in stride(from: 0, to: N, by: chunk) {
                let rows = try partial.read(lo..<min(lo + chunk, N))   // (n, 3, f)
                let n = rows.count / (3 * f)
                for (k, mode) in FingerprintMode.allCases.enumerated() {
                    var part = [Float](repeating: 0, count: n * f)
                    for r in 0..<n { for j in 0..<f { part[r * f + j] = rows[(3 * r + k) * f + j] } }
                    try edit.writeRows(StoreEdit.fingerprintPath(model: id, mode: mode), start: lo, part, cols: f)
                }
            }
            try edit.setAttributes("/models/\(id)", ["config": model.config.json(), "model_id": id,
                                                     "fingerprint_dim": String(f), "preprocessing": "Signals.DeviceDelay.prepared"])
        }
        partial.remove()
        return Summary(modelID: id, segments: N, resumedFrom: resumed, alreadyEmbedded: false)
    }

    /// Replaces row `i` of `x` (rows of S samples) by its prepared form, a PPG also moved to
    /// the model's delay when `alignPPG` (`DeviceDelay.modelInput` with the record's measured
    /// delay); returns false (and leaves the row) when the modality is absent (`Modality.isPresent`).
    static func prepare(_ x: inout [Float], _ i: Int, _ S: Int, _ m: Modality, _ meta: SegmentMeta,
                        alignPPG: Bool = true) -> Bool {
        let row = Array(x[(i * S)..<((i + 1) * S)])
        guard Modality.isPresent(row, flags: meta.quality(m)) else { return false }
        x.replaceSubrange((i * S)..<((i + 1) * S), with: DeviceDelay.prepared(row, modality: m, delay: alignPPG ? meta.ppgDelay : nil))
        return true
    }
}

/// Embedding cannot proceed with this store.
public struct EmbedError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// The testing hook `stopAfter` fired (stands in for a crash).
public struct EmbedInterrupted: Error, CustomStringConvertible {
    public var segmentsDone: Int
    public var description: String { "embedding interrupted after \(segmentsDone) segments" }
}
