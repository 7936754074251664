import Foundation
import Store
import Signals
import Model
import Analytics
import Support

// MARK: - The model behind a store's fingerprints

/// The checkpoint whose fingerprints a store holds, with its probe heads
/// (`<checkpoint>.probes.json`, when present): runs the decoder for the Reconstruction pane
/// and the heads for the Records pane's risk column.
/// Not thread-safe (one workspace): `StoreServices` calls it from its serial queue.
final class ModelRunner: @unchecked Sendable {
    let model: M2AEModel
    let checkpoint: URL
    /// The heads fitted for this model, nil when there is no probes file (or it is another model's).
    let probes: ProbeFile?
    /// Why `probes` is nil although a probes file exists (wrong model, malformed), for the status line.
    let probesProblem: String?
    /// One segment's forward-pass buffers, reused.
    private let workspace: Workspace

    /// Loads the checkpoint and, beside it, its probe heads.
    init(checkpoint: URL) throws {
        do { model = try M2AEModel(checkpoint: checkpoint) } catch { throw WorkbenchError("\(error)") }
        self.checkpoint = checkpoint
        workspace = Workspace(config: model.config, maxSegments: 1)
        let probesURL = ProbeFile.location(checkpoint: checkpoint)
        var problem: String?
        var loaded: ProbeFile?
        if FileManager.default.fileExists(atPath: probesURL.path) {
            do {
                let file = try ProbeFile.load(probesURL)
                if file.modelID == model.id && file.dim == model.config.fingerprintDim { loaded = file } else {
                    problem = "\(probesURL.lastPathComponent): heads of model \(file.modelID), not \(model.id); rerun `m2ae evaluate`"
                }
            } catch { problem = "\(error)" }
        }
        probes = loaded; probesProblem = problem
    }

    // MARK: - Reconstruction

    /// The decoder's reconstruction of `mode.target` of `segment`.
    ///
    /// Cross-modal modes see the other modality only; masked modes see the other modality
    /// whole and the target's patches where `mask` is false. Inputs are `Preprocessing.prepare`d
    /// (z-scored), so the original and the reconstruction are in the same units, and the PPG
    /// is moved to the model's delay with the record's measured one (`DeviceDelay.modelInput`,
    /// as `m2ae reconstruct` does); a PPG target is returned moved back to the record's time. In
    /// the masked modes the visible patches keep the original and Pearson r and RMSE cover the
    /// hidden samples only.
    /// - Parameter mask: (T) flags, true where the target's patch is hidden.
    func reconstruct(_ segment: Segment, index: Int, mode: ReconstructionMode, mask: [Bool], store: String) throws -> Reconstruction {
        let T = model.config.numPatches, P = model.config.patchSize, S = model.config.segmentSamples
        guard segment.ecg.count == S, segment.ppg.count == S else {
            throw WorkbenchError("\(store): segment \(index) has \(segment.ecg.count) samples, the model expects \(S)")
        }
        let target = mode.target, source: Modality = target == .ecg ? .ppg : .ecg
        func prepared(_ m: Modality) -> [Float]? {
            let x = m == .ecg ? segment.ecg : segment.ppg
            let q = m == .ecg ? segment.meta.ecgQuality : segment.meta.ppgQuality
            guard Modality.isPresent(x, flags: q) else { return nil }
            return DeviceDelay.prepared(x, modality: m, delay: segment.meta.ppgDelay)
        }
        guard let truth = prepared(target) else {
            throw WorkbenchError("\(store): segment \(index) has no \(target.rawValue.uppercased()) to compare the reconstruction with")
        }
        let other = prepared(source)
        var hidden = [Bool](repeating: true, count: T)
        if mode.isMasked {
            guard mask.count == T else { throw WorkbenchError("reconstruction: the mask has \(mask.count) patches, the model \(T)") }
            hidden = mask
            guard hidden.contains(true) else { throw WorkbenchError("no patch hidden: press ] or space to hide some") }
        } else if other == nil {
            throw WorkbenchError("\(store): segment \(index) has no \(source.rawValue.uppercased()) to reconstruct \(target.rawValue.uppercased()) from")
        }
        let visibleTarget = hidden.map { !$0 }
        let visibleOther = [Bool](repeating: other != nil, count: T)
        guard visibleTarget.contains(true) || other != nil else {
            throw WorkbenchError("\(store): segment \(index): every patch is hidden and the other modality is absent")
        }
        let filler = [Float](repeating: 0, count: S)
        let ecg = target == .ecg ? truth : (other ?? filler), ppg = target == .ppg ? truth : (other ?? filler)
        let vis = Visibility(segments: 1, patches: T, ecg: target == .ecg ? visibleTarget : visibleOther,
                             ppg: target == .ppg ? visibleTarget : visibleOther)
        do { try model.forward(ecg: ecg, ppg: ppg, visibility: vis, workspace: workspace) } catch { throw WorkbenchError("\(error)") }
        var guess = workspace.reconstruction(target, segments: 1)
        var scored = [Bool](repeating: true, count: S)
        for t in 0..<T where !hidden[t] {
            for k in 0..<P { scored[t * P + k] = false; guess[t * P + k] = truth[t * P + k] }
        }
        // Scored: every sample, or the hidden patches' (at least one: an empty mask is refused above).
        let kept = truth.indices.filter { scored[$0] }
        let x = kept.map { truth[$0] }, y = kept.map { guess[$0] }
        let delay = segment.meta.ppgDelay
        let original = target == .ppg ? Preprocessing.prepare(segment.ppg, modality: .ppg) : truth
        return Reconstruction(index: index, mode: mode, original: original,
                              reconstructed: target == .ppg ? DeviceDelay.recordTime(guess, delay: delay) : guess,
                              pearson: pearson(x, y), rmse: rmse(x, y) ?? .nan, ppgDelay: delay)
    }

    // MARK: - Probe heads

    /// The head behind the risk column for `mode`, and the index of its "normal" class:
    /// the ECG CVD head (1 − P(NSR)) for ECG+PPG and ECG, the PPG CVD head (1 − P(normal))
    /// for PPG; the other CVD head when the preferred one is missing.
    func riskHead(mode: FingerprintMode) -> (head: ProbeHead, normal: Int)? {
        let order: [DownstreamTask] = mode == .ppg ? [.cvdPPG, .cvdECG] : [.cvdECG, .cvdPPG]
        for task in order {
            if let head = probes?.heads[task.rawValue]?[mode.rawValue], head.kind != .ridge { return (head, 0) }
        }
        return nil
    }

    /// 1 − P(normal rhythm) of each (n, dim) fingerprint row; NaN for a row that is not finite.
    static func risk(_ rows: [Float], head: ProbeHead, normal: Int) -> [Float] {
        let dim = head.dim, n = rows.count / dim
        var out = [Float](repeating: .nan, count: n)
        var finite: [Int] = []
        for i in 0..<n where rows[(i * dim)..<((i + 1) * dim)].allSatisfy(\.isFinite) { finite.append(i) }
        guard !finite.isEmpty else { return out }
        let x = finite.flatMap { rows[($0 * dim)..<(($0 + 1) * dim)] }
        let p = head.predict(x)
        for (j, i) in finite.enumerated() { out[i] = 1 - p[j * head.outputs + normal] }
        return out
    }
}
