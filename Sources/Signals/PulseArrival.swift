/// Pulse arrival time: the delay from each ECG R-peak to the PPG pulse it caused.
public enum PulseArrival {
    /// Delays accepted between an R-peak and the foot of its pulse, seconds.
    public static let footWindow = 0.1...1.0

    // MARK: - API

    /// The delay from each R-peak to a point of the pulse it caused.
    ///
    /// A pulse belongs to the last R-peak before its foot: the pulse taken for an R-peak is the
    /// first whose foot comes at least `footWindow.lowerBound` after it, within `footWindow` and
    /// before the next R-peak's earliest foot (so a missed pulse is skipped, not misassigned). Pairing by the foot rather than by the peak keeps a long delay (an ICU
    /// patient's R-to-peak time can exceed the RR interval) from being matched to the wrong beat.
    /// R-peaks with no foot inside the window are skipped.
    /// - Parameters:
    ///   - rPeaks: R-peak sample indices, ascending.
    ///   - pulse: PPG fiducials on the same time base.
    ///   - rate: sampling rate of both, Hz.
    ///   - point: the delay to the pulse's systolic peak (default) or to its foot.
    /// - Returns: one delay in seconds per matched R-peak.
    public static func seconds(rPeaks: [Int], pulse: PulseFiducials, rate: Double,
                               point: PulseFiducials.Point = .peak) -> [Double] {
        guard rate > 0 else { return [] }
        let targets = pulse.indices(point)
        var delays: [Double] = []
        var j = 0
        for (k, r) in rPeaks.enumerated() {
            let earliest = Double(r) + footWindow.lowerBound * rate
            while j < pulse.onsets.count && Double(pulse.onsets[j]) < earliest { j += 1 }
            guard j < pulse.onsets.count else { break }
            // The foot must also come before the next R-peak's own earliest foot.
            let latest = k + 1 < rPeaks.count ? Double(rPeaks[k + 1]) + footWindow.lowerBound * rate : .infinity
            guard footWindow.contains(Double(pulse.onsets[j] - r) / rate), Double(pulse.onsets[j]) < latest else { continue }
            delays.append(Double(targets[j] - r) / rate)
        }
        return delays
    }
}
