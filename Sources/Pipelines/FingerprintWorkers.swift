import Engine
import Model
import Foundation
import Support

/// `fingerprintsAllModes` on several cores at once: a batch is cut into one contiguous share per
/// thread, and each share runs on its own thread, with its own inference `Workspace` and
/// single-threaded BLAS. A batch of one segment runs on two threads: its ECG and PPG encoders
/// side by side, then its ECG+PPG sequence beside its two single-modality ones through the
/// bottleneck (`allModesOnTwoThreads`).
///
/// Why not OpenBLAS's own threads: they split each product of a tile (`allModesTile`
/// segments) over the cores while LayerNorm, GELU and softmax stay on one; whole shares on
/// separate cores scale better (2 cores: 1.1–1.8× the fingerprints per second of OpenBLAS
/// threading, largest at small batches; docs/model.md). Results match the single-threaded ones
/// to float rounding (≤ 1e-6, tested: a share's tiles group other segments, and BLAS may sum
/// products of another shape in another order).
public final class FingerprintWorkers: @unchecked Sendable {
    public let model: M2AEModel
    /// Threads (and workspaces).
    public let threads: Int
    /// The most segments one `fingerprints` call may take.
    public let maxSegments: Int
    private let workspaces: [Workspace]

    /// - Parameters:
    ///   - threads: cores to use (≥ 1).
    ///   - maxSegments: the largest batch a call will pass.
    public init(model: M2AEModel, threads: Int, maxSegments: Int) {
        self.model = model
        self.maxSegments = max(1, maxSegments)
        // One segment still keeps two threads busy (its two encoders, then its bottleneck sequences).
        self.threads = max(1, min(threads, max(self.maxSegments, 2)))
        // Each thread works through its share one tile at a time, so its workspace holds one tile
        // (about 65 MB for `small`) whatever the batch.
        let share = (self.maxSegments + self.threads - 1) / self.threads
        let rows = min(share, M2AEModel.allModesTile)
        workspaces = (0..<self.threads).map { _ in Workspace(config: model.config, maxSegments: rows) }
    }

    /// Bytes of activation memory held (all workspaces).
    public var byteCount: Int { workspaces.reduce(0) { $0 + $1.byteCount } }

    /// The fingerprints of B = `present.count` segments in all three modes.
    /// - Parameters:
    ///   - ecg, ppg: (B, S) prepared segments.
    ///   - present: per segment, which modalities are there.
    /// - Returns: (3B, f) rows, per segment ECG+PPG, ECG-only, PPG-only (as `fingerprintsAllModes`).
    /// - Throws: `ForwardError` for a batch larger than `maxSegments`.
    public func fingerprints(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>,
                             present: [(ecg: Bool, ppg: Bool)]) throws -> [Float] {
        let B = present.count, f = model.config.fingerprintDim
        guard B <= maxSegments else { throw ForwardError(reason: "batch of \(B) segments exceeds the \(maxSegments) the workers were sized for") }
        var out = [Float](repeating: 0, count: 3 * B * f)
        let input = (ecg: SendablePointer(readOnly: ecg), ppg: SendablePointer(readOnly: ppg))
        try out.withUnsafeMutableBufferPointer { o in
            let output = SendablePointer(o.baseAddress!)
            guard threads > 1 else {
                return try share(0..<B, of: input, present: present, into: output, workspace: workspaces[0])
            }
            try withSingleThreadedBLAS {
                if B == 1 {
                    return try model.allModesOnTwoThreads(ecg: ecg, ppg: ppg, present: present[0], out: output.pointer,
                                                          a: workspaces[0], b: workspaces[1])
                }
                // Contiguous shares, one per thread.
                let used = min(threads, B)
                let bounds = (0...used).map { $0 * B / used }
                try parallelFor(used) { w in
                    try share(bounds[w]..<bounds[w + 1], of: input, present: present, into: output, workspace: workspaces[w])
                }
            }
        }
        return out
    }

    /// Segments `range` of the batch, tile by tile on one workspace; their rows go to `output`.
    private func share(_ range: Range<Int>, of input: (ecg: SendablePointer<Float>, ppg: SendablePointer<Float>),
                       present: [(ecg: Bool, ppg: Bool)], into output: SendablePointer<Float>, workspace ws: Workspace) throws {
        let S = model.config.segmentSamples, f = model.config.fingerprintDim
        for lo in stride(from: range.lowerBound, to: range.upperBound, by: ws.maxSegments) {
            let hi = min(lo + ws.maxSegments, range.upperBound)
            try model.fingerprintsAllModes(ecg: input.ecg.pointer + lo * S, ppg: input.ppg.pointer + lo * S,
                                           present: Array(present[lo..<hi]), workspace: ws)
            (output.pointer + 3 * lo * f).update(from: ws.fingerprints, count: 3 * (hi - lo) * f)
        }
    }
}
