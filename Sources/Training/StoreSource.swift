import Foundation
import Signals
import Store

/// Training segments from an m2ae store, read in blocks of contiguous segments (hyperslabs),
/// never whole. A segment is usable when neither modality carries a quality flag (absent,
/// flat, clipped, wrapped, NaN run, noisy). Its PPG is moved to the model's delay with the
/// record's measured delay, as every model input is (`Signals.DeviceDelay`).
public struct StoreSource: SegmentSource, @unchecked Sendable {
    public let store: RecordStore
    /// Segments per block.
    public let blockSize: Int
    public var label: String { "store \(store.url.lastPathComponent)" }
    public var subjectCount: Int { store.subjects.count }
    public var blockCount: Int { (store.segmentCount + blockSize - 1) / blockSize }

    /// Opens the store at `url`.
    /// - Throws: the store's own errors (naming the file) for a missing or malformed store.
    public init(url: URL, blockSize: Int = 256) throws {
        store = try RecordStore(url: url)
        self.blockSize = blockSize
    }

    public func usableSegmentsPerSubject() throws -> [Int] {
        var counts = [Int](repeating: 0, count: subjectCount)
        for k in 0..<blockCount {
            let r = range(k)
            let subjects = try store.subjectIndices(r)
            let good = try usable(r)
            for i in subjects.indices where good[i] {
                let s = Int(subjects[i])
                guard s >= 0 && s < subjectCount else {
                    throw TrainingDataError("\(store.url.path): segment \(r.lowerBound + i) names subject \(s), the store has \(subjectCount)")
                }
                counts[s] += 1
            }
        }
        return counts
    }

    public func block(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment] {
        let r = range(k), S = SegmentFormat.samples
        let subjects = try store.subjectIndices(r)
        let good = try usable(r)
        let ecg = try store.signals(.ecg, r), ppg = try store.signals(.ppg, r), delays = try store.ppgDelays(r)
        var out: [PreparedSegment] = []
        for i in subjects.indices where good[i] && keep(Int(subjects[i])) {
            out.append(PreparedSegment(subject: Int(subjects[i]), rawECG: Array(ecg[(i * S)..<((i + 1) * S)]),
                                       rawPPG: Array(ppg[(i * S)..<((i + 1) * S)]), ppgDelay: delays[i]))
        }
        return out
    }

    private func range(_ k: Int) -> Range<Int> { (k * blockSize)..<min((k + 1) * blockSize, store.segmentCount) }

    private func usable(_ r: Range<Int>) throws -> [Bool] {
        let e = try store.quality(.ecg, r), p = try store.quality(.ppg, r)
        return zip(e, p).map { $0.isEmpty && $1.isEmpty }
    }
}
