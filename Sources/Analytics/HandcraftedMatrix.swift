import Dispatch
import Foundation
import Signals
import Store

/// The hand-crafted-feature baseline: `Signals.HandcraftedFeatures` (heart rate, HRV, QRS
/// width, pulse arrival time, PPG morphology) for every segment of a store, read in slices.
public enum HandcraftedMatrix {
    /// Features per segment.
    public static var dim: Int { HandcraftedFeatures.names.count }

    /// (N, dim) features of every segment; NaN where a feature could not be measured.
    public static func compute(_ store: RecordStore, batch: Int = 256) throws -> [Float] {
        let n = store.segmentCount, d = dim, samples = SegmentFormat.samples
        var out = [Float](repeating: .nan, count: n * d)
        var start = 0
        while start < n {
            let end = min(n, start + batch), m = end - start
            let ecg = try store.signals(.ecg, start ..< end), ppg = try store.signals(.ppg, start ..< end)
            let rows = UnsafeMutablePointer<Float>.allocate(capacity: m * d)
            defer { rows.deallocate() }
            let target = SendablePointer(rows)
            parallelChunks(m) { range in
                for i in range {
                    let f = HandcraftedFeatures.compute(ecg: Array(ecg[i * samples ..< (i + 1) * samples]),
                                                        ppg: Array(ppg[i * samples ..< (i + 1) * samples]), rate: SegmentFormat.sampleRate)
                    for j in 0..<d { target.pointer[i * d + j] = j < f.values.count ? f.values[j] : .nan }
                }
            }
            for i in 0..<(m * d) { out[start * d + i] = rows[i] }
            start = end
        }
        return out
    }

    /// Replaces each NaN of `train` and `test` (both (n, dim)) by its column's mean over the
    /// finite training values (0 when none), so segments with one unmeasurable feature stay in.
    public static func impute(train: inout [Float], test: inout [Float], dim: Int) {
        var sum = [Double](repeating: 0, count: dim), count = [Int](repeating: 0, count: dim)
        for (i, v) in train.enumerated() where v.isFinite { sum[i % dim] += Double(v); count[i % dim] += 1 }
        let mean = (0..<dim).map { count[$0] > 0 ? Float(sum[$0] / Double(count[$0])) : 0 }
        for i in train.indices where !train[i].isFinite { train[i] = mean[i % dim] }
        for i in test.indices where !test[i].isFinite { test[i] = mean[i % dim] }
    }
}
