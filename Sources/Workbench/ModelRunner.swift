import Foundation
import Store
import Signals
import Model
import Analytics

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
    /// (z-scored), so the original and the reconstruction are in the same units. In the masked
    /// modes the visible patches keep the original (as `m2ae reconstruct` does) and Pearson r
    /// and RMSE cover the hidden samples only.
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
            if q.contains(.absent) || x.allSatisfy({ $0.isNaN }) { return nil }
            return Preprocessing.prepare(x, modality: m)
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
        let (r, rmse) = Self.score(truth, guess, scored)
        return Reconstruction(index: index, mode: mode, original: truth, reconstructed: guess, pearson: r, rmse: rmse)
    }

    /// Pearson r (NaN when either side is constant) and RMSE over the `scored` samples.
    static func score(_ x: [Float], _ y: [Float], _ scored: [Bool]) -> (pearson: Double, rmse: Double) {
        var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0, se = 0.0
        for i in x.indices where scored[i] {
            let a = Double(x[i]), b = Double(y[i])
            n += 1; sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b; se += (a - b) * (a - b)
        }
        let cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n
        return (vx > 0 && vy > 0 ? cov / (vx * vy).squareRoot() : .nan, (se / max(n, 1)).squareRoot())
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
