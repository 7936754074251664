import Engine
import Foundation
import Model
import Signals
import Store
import Support

/// Where a reconstruction comes from (`m2ae reconstruct --from`).
public enum ReconstructionSource: String, Sendable, CaseIterable, Codable {
    /// PPG → ECG: the PPG fully visible, the ECG absent; scores the ECG.
    case ppg
    /// ECG → PPG: the ECG fully visible, the PPG absent; scores the PPG.
    case ecg
    /// Complementary masks (half the patches of each modality hidden); scores the hidden ECG.
    case masked

    /// The modality whose reconstruction is scored.
    public var target: Modality { self == .ecg ? .ppg : .ecg }
}

/// How well one segment's target modality was reconstructed.
public struct ReconstructionScore: Sendable, Codable, Equatable {
    public var segment: Int
    public var source: ReconstructionSource
    public var target: Modality
    /// Pearson r between reconstruction and the prepared (z-scored) truth; for `masked`, over
    /// the hidden samples only. nil when either side is constant (`Support.pearson`).
    public var pearson: Double?
    /// Shape r: the largest Pearson r over lags of up to half a beat either way (half the
    /// true target's beat interval; 0.4 s when no rate is found), over the overlapping samples,
    /// so that a right shape at a wrong time still scores; nil for `masked`.
    public var shapePearson: Double?
    /// The lag (seconds, reconstruction later than truth when positive) that gave `shapePearson`.
    public var shapeLag: Double?
    /// Root-mean-square error in z-score units, over the same samples.
    public var rmse: Double
    /// Heart rate (bpm, R peaks) of the true and the reconstructed ECG (for `masked`: visible
    /// truth with the hidden patches predicted); nil for PPG targets or when no rate is found.
    public var heartRateTrue: Double?
    public var heartRateReconstructed: Double?
    /// Reconstructed − true heart rate, bpm.
    public var heartRateDifference: Double?
}

/// Runs the decoders over store segments and scores the reconstructions (`m2ae reconstruct`).
public struct Reconstructor: Sendable {
    public let model: M2AEModel
    public let batchSize: Int
    /// Seed of the complementary masks; segment i uses `maskSeed + i`, so a segment's mask
    /// does not depend on the batch it is in.
    public let maskSeed: UInt64
    /// Whether the PPG is moved to the model's delay with each record's measured delay
    /// (`DeviceDelay.modelInput`), as every model input is; false feeds it as recorded, as a
    /// store without measured delays is fed (`m2ae evaluate --unlabelled` reports both).
    /// A PPG target is scored in the model's time, where its input and truth agree.
    public let alignPPG: Bool

    public init(model: M2AEModel, batchSize: Int = 64, maskSeed: UInt64 = 0, alignPPG: Bool = true) {
        self.model = model; self.batchSize = max(1, batchSize); self.maskSeed = maskSeed; self.alignPPG = alignPPG
    }

    /// Scores the segments `range` of `store`; a segment lacking a modality the source needs
    /// (absent or all NaN) gets nil.
    /// - Parameter progress: called after each batch with (segments done, total).
    public func scores(store: RecordStore, _ range: Range<Int>, from source: ReconstructionSource,
                       progress: (Int, Int) -> Void = { _, _ in }) throws -> [ReconstructionScore?] {
        guard range.lowerBound >= 0, range.upperBound <= store.segmentCount else {
            throw EmbedError(path: store.url.path, reason: "segments \(range.lowerBound)..<\(range.upperBound) out of range (the store has \(store.segmentCount))")
        }
        let T = model.config.numPatches, S = model.config.segmentSamples, P = model.config.patchSize
        let ws = Workspace(config: model.config, maxSegments: batchSize)
        var out: [ReconstructionScore?] = []
        for lo in stride(from: range.lowerBound, to: range.upperBound, by: batchSize) {
            let batch = lo..<min(lo + batchSize, range.upperBound)
            var ecg = try store.signals(.ecg, batch), ppg = try store.signals(.ppg, batch)
            let meta = try store.meta(batch)
            // Keep the segments with both modalities (the truth is needed to score).
            var keep: [Int] = []
            for (i, m) in meta.enumerated() {
                let e = Embedder.prepare(&ecg, i, S, .ecg, m), p = Embedder.prepare(&ppg, i, S, .ppg, m, alignPPG: alignPPG)
                if e && p { keep.append(i) }
            }
            var scores = [ReconstructionScore?](repeating: nil, count: batch.count)
            if !keep.isEmpty {
                let e = keep.flatMap { ecg[($0 * S)..<(($0 + 1) * S)] }, p = keep.flatMap { ppg[($0 * S)..<(($0 + 1) * S)] }
                let vis: Visibility
                switch source {
                case .ppg: vis = .full(segments: keep.count, patches: T, ecg: false)
                case .ecg: vis = .full(segments: keep.count, patches: T, ppg: false)
                case .masked:
                    var ecgMask: [Bool] = []
                    for i in keep {
                        var rng = SplitMix64(state: maskSeed &+ UInt64(batch.lowerBound + i))
                        ecgMask += Visibility.complementary(segments: 1, patches: T, using: &rng).ecg
                    }
                    vis = Visibility(segments: keep.count, patches: T, ecg: ecgMask, ppg: ecgMask.map { !$0 })
                }
                try model.forward(ecg: e, ppg: p, visibility: vis, workspace: ws)
                let recon = ws.reconstruction(source.target, segments: keep.count)
                for (j, i) in keep.enumerated() {
                    let truth = Array((source.target == .ecg ? e : p)[(j * S)..<((j + 1) * S)])
                    var guess = Array(recon[(j * S)..<((j + 1) * S)])
                    var scored = [Bool](repeating: true, count: S)
                    if source == .masked {
                        // Score the hidden patches; the visible ones keep the truth.
                        for t in 0..<T where vis.ecg[j * T + t] {
                            for k in 0..<P { scored[t * P + k] = false; guess[t * P + k] = truth[t * P + k] }
                        }
                    }
                    scores[i] = Self.score(segment: batch.lowerBound + i, source: source, truth: truth, guess: guess, scored: scored)
                }
            }
            out += scores
            progress(batch.upperBound - range.lowerBound, range.count)
        }
        return out
    }

    /// `scores` on `threads` cores: the range is cut into contiguous shares of whole batches,
    /// each scored on its own thread with single-threaded BLAS (as `m2ae embed` runs), so the
    /// batches, and the scores, are those of one thread with one BLAS thread.
    /// - Complexity: as `scores`, about `threads` times faster in wall time; one workspace
    ///   per thread at a time.
    public func scores(store: RecordStore, _ range: Range<Int>, from source: ReconstructionSource,
                       threads: Int) throws -> [ReconstructionScore?] {
        let batches = (range.count + batchSize - 1) / batchSize
        let shares = min(max(1, threads), batches)
        guard shares > 1 else { return try withSingleThreadedBLAS { try scores(store: store, range, from: source) } }
        let perShare = (batches + shares - 1) / shares * batchSize
        let results = UnsafeMutablePointer<[ReconstructionScore?]>.allocate(capacity: shares)
        results.initialize(repeating: [], count: shares)
        defer { results.deinitialize(count: shares); results.deallocate() }
        let out = SendablePointer(results)
        try withSingleThreadedBLAS {
            try parallelFor(shares) { t in
                let lo = range.lowerBound + t * perShare, hi = min(range.upperBound, lo + perShare)
                if lo < hi { out[t] = try scores(store: store, lo..<hi, from: source) }
            }
        }
        return (0..<shares).flatMap { results[$0] }
    }

    /// Pearson r, RMSE over `scored` samples, and the heart rates of ECG targets.
    static func score(segment: Int, source: ReconstructionSource, truth: [Float], guess: [Float], scored: [Bool]) -> ReconstructionScore {
        // Scored: every sample, or the hidden patches' (⌊r·T⌋ ≥ 1 of them for `masked`).
        let kept = truth.indices.filter { scored[$0] }
        let x = kept.map { truth[$0] }, y = kept.map { guess[$0] }
        var score = ReconstructionScore(segment: segment, source: source, target: source.target, pearson: pearson(x, y),
                                        rmse: rmse(x, y) ?? .nan)
        let rate = SegmentFormat.sampleRate
        var beatRate: Double?
        if source.target == .ecg {
            score.heartRateTrue = HeartRate.bpm(peaks: RPeakDetector.detect(truth, rate: rate), rate: rate)
            score.heartRateReconstructed = HeartRate.bpm(peaks: RPeakDetector.detect(guess, rate: rate), rate: rate)
            if let a = score.heartRateReconstructed, let b = score.heartRateTrue { score.heartRateDifference = a - b }
            beatRate = score.heartRateTrue
        } else {
            beatRate = HeartRate.bpm(peaks: PulseDetector.detect(truth, rate: rate).peaks, rate: rate)
        }
        if source != .masked {
            let halfBeat = beatRate.map { 30 / $0 } ?? 0.4
            if let (r, lag) = bestLag(truth, guess, maxLag: Int((halfBeat * rate).rounded())) {
                score.shapePearson = r; score.shapeLag = Double(lag) / rate
            }
        }
        return score
    }

    /// The largest Pearson r between `truth[i]` and `guess[i + lag]` over |lag| ≤ maxLag (at
    /// least half the samples overlapping), and its lag; nil when every lag has a constant side.
    /// - Complexity: O(maxLag · n).
    static func bestLag(_ truth: [Float], _ guess: [Float], maxLag: Int) -> (r: Double, lag: Int)? {
        let n = truth.count, limit = min(maxLag, n / 2)
        var best: (r: Double, lag: Int)?
        for lag in -limit...limit {
            let overlap = max(0, -lag) ..< min(n, n - lag)
            guard let r = pearson(truth[overlap], guess[(overlap.lowerBound + lag) ..< (overlap.upperBound + lag)]) else { continue }
            if best == nil || r > best!.r { best = (r, lag) }
        }
        return best
    }
}

/// Median and quartiles of a sample (linear interpolation between order statistics, as
/// numpy's default `percentile`).
public struct Quartiles: Sendable, Codable, Equatable {
    public var q1: Double, median: Double, q3: Double
    public var count: Int

    /// nil for an empty sample.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let v = values.sorted()
        func q(_ p: Double) -> Double {
            let h = p * Double(v.count - 1), lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
            return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
        }
        q1 = q(0.25); median = q(0.5); q3 = q(0.75); count = v.count
    }
}
