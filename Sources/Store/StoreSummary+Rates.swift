import Foundation
import Support

// MARK: - Heart rate from the ECG beside pulse rate from the PPG

extension StoreSummary {
    /// Heart rate (ECG R-peaks) and pulse rate (PPG systolic peaks) over the clean segments.
    ///
    /// Each rate comes from `HeartRate.ecg` / `HeartRate.ppg` on one stored 10-s segment whose
    /// modality has no quality flag; the two should agree (one pulse per heartbeat), so paired
    /// segments whose rates differ by more than ``disagreementBPM`` are counted.
    public struct RateSummary: Sendable, Equatable, Codable {
        /// Segments with a clean ECG on which a heart rate was found.
        public var ecgSegments: Int
        /// Median heart rate over those segments, bpm; nil (JSON null) when there are none.
        public var medianHeartRate: Double?
        /// Segments with a clean PPG on which a pulse rate was found.
        public var ppgSegments: Int
        /// Median pulse rate over those segments, bpm; nil (JSON null) when there are none.
        public var medianPulseRate: Double?
        /// Segments with both rates.
        public var pairedSegments: Int
        /// Paired segments whose two rates differ by more than ``disagreementBPM``.
        public var disagreeingSegments: Int

        /// Heart and pulse rate further apart than this (bpm) disagree.
        public static let disagreementBPM = 10.0

        enum CodingKeys: String, CodingKey {
            case ecgSegments = "ecg_segments", medianHeartRate = "median_heart_rate_bpm"
            case ppgSegments = "ppg_segments", medianPulseRate = "median_pulse_rate_bpm"
            case pairedSegments = "paired_segments", disagreeingSegments = "disagreeing_segments"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(ecgSegments, forKey: .ecgSegments)
            try c.encode(medianHeartRate, forKey: .medianHeartRate)
            try c.encode(ppgSegments, forKey: .ppgSegments)
            try c.encode(medianPulseRate, forKey: .medianPulseRate)
            try c.encode(pairedSegments, forKey: .pairedSegments)
            try c.encode(disagreeingSegments, forKey: .disagreeingSegments)
        }
    }

    /// The rates of every clean segment of `store`, reading `sliceRows` segments' signals at a
    /// time (each slice's segments on all cores).
    ///
    /// - Complexity: O(segments × samples); one slice of signals in memory at a time.
    static func rateSummary(_ store: RecordStore, sliceRows: Int) throws -> RateSummary {
        let n = SegmentFormat.samples, rate = SegmentFormat.sampleRate
        var heart: [Double] = [], pulse: [Double] = []
        var paired = 0, disagreeing = 0
        var start = 0
        while start < store.segmentCount {
            let range = start..<min(start + max(1, sliceRows), store.segmentCount)
            let ecgClean = try store.quality(.ecg, range).map(\.isClean)
            let ppgClean = try store.quality(.ppg, range).map(\.isClean)
            // (segments, samples) per modality, read only when a segment of the slice needs it
            let ecg = ecgClean.contains(true) ? try store.signals(.ecg, range) : []
            let ppg = ppgClean.contains(true) ? try store.signals(.ppg, range) : []
            let rates = UnsafeMutablePointer<(Double?, Double?)>.allocate(capacity: range.count)
            rates.initialize(repeating: (nil, nil), count: range.count)
            defer { rates.deallocate() }
            let out = SendablePointer(rates)
            parallelFor(range.count) { k in
                let h = ecgClean[k] ? HeartRate.ecg(Array(ecg[(k * n)..<((k + 1) * n)]), rate: rate) : nil
                let p = ppgClean[k] ? HeartRate.ppg(Array(ppg[(k * n)..<((k + 1) * n)]), rate: rate) : nil
                out[k] = (h, p)
            }
            for k in 0..<range.count {
                let (h, p) = rates[k]
                if let h { heart.append(h) }
                if let p { pulse.append(p) }
                if let h, let p {
                    paired += 1
                    if abs(h - p) > RateSummary.disagreementBPM { disagreeing += 1 }
                }
            }
            start = range.upperBound
        }
        return RateSummary(ecgSegments: heart.count, medianHeartRate: median(heart),
                           ppgSegments: pulse.count, medianPulseRate: median(pulse),
                           pairedSegments: paired, disagreeingSegments: disagreeing)
    }

    /// The median (mean of the middle two for an even count); nil for no values.
    private static func median(_ x: [Double]) -> Double? {
        guard !x.isEmpty else { return nil }
        let s = x.sorted(), m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}
