import Foundation

/// PPG systolic-peak and onset (foot) detection.
///
/// Peaks by Elgendi's two-moving-averages method (Elgendi et al. 2013, PLoS ONE 8:e76585):
/// 0.5–8 Hz zero-phase band-pass, negative half clipped, squared; blocks where the 111-ms
/// average exceeds the 667-ms average plus 2 % of the mean energy, at least 111 ms wide, each
/// give one peak at the band-passed maximum; peaks closer than ``minimumSeconds`` keep the
/// higher; each peak is then re-placed on the maximum of the 0.5–20 Hz band-passed PPG within
/// ±``refineSeconds`` (the 8-Hz low-pass alone shifts a sharp peak by 20 ms). The foot is found by intersecting tangents: the line through the point of steepest
/// upstroke before the peak meets the horizontal through the preceding minimum.
public enum PulseDetector {
    /// Short (pulse) moving-average window, seconds.
    public static let peakWindowSeconds = 0.111
    /// Long (beat) moving-average window, seconds.
    public static let beatWindowSeconds = 0.667
    /// Offset added to the beat average, as a fraction of the mean squared signal.
    public static let offsetFraction = 0.02
    /// Shortest interval between two systolic peaks, seconds (200 bpm).
    public static let minimumSeconds = 0.3
    /// Longest look-back from a peak for its foot, seconds.
    public static let footSearchSeconds = 0.8
    /// Half-width of the window where a peak is re-placed on the 0.5–20 Hz band, seconds.
    public static let refineSeconds = 0.06

    // MARK: - API

    /// Finds the systolic peaks and feet of a PPG recording (pulses pointing up).
    ///
    /// - Parameters:
    ///   - ppg: samples `(n)`, any unit; NaN where missing.
    ///   - rate: sampling rate in Hz.
    /// - Returns: aligned peaks and onsets; empty for a flat or missing signal.
    public static func detect(_ ppg: [Float], rate: Double) -> PulseFiducials {
        guard SignalMath.isValidRate(rate), let x = SignalMath.fillGaps(ppg.map(Double.init)), x.count > Int(rate) else { return .empty }
        let f = Filters.filtfilt(pulseBand(rate: rate), x)
        guard !SignalMath.isFlat(f, reference: x) else { return .empty }
        let found = systolicPeaks(f, rate: rate)
        let onsets = feet(f, peaks: found, rate: rate)
        // The 8-Hz low-pass drags a peak towards the slower (diastolic) side; place each peak on
        // the wider 0.5–20 Hz band within ±refineSeconds instead.
        let wide = Filters.filtfilt(Filters.butterworth(rate: rate, low: 0.5, high: min(20, 0.45 * rate), order: 2), x)
        let reach = max(1, Int(refineSeconds * rate))
        let peaks = zip(found, onsets).map { p, o in SignalMath.argmax(wide, in: max(o + 1, p - reach)..<(p + reach + 1)) ?? p }
        return PulseFiducials(peaks: peaks, onsets: onsets)
    }

    // MARK: - Internal API

    /// The band pulses are found on: the model's PPG band (0.5–8 Hz, below 0.45·rate).
    static func pulseBand(rate: Double) -> [[Double]] {
        Filters.butterworth(rate: rate, low: 0.5, high: min(Preprocessing.band(for: .ppg).high, 0.45 * rate), order: 2)
    }

    /// The feet of `detect` from the gap-free PPG `x` and its `pulseBand` filtering `f`, without
    /// the peak refinement (the quality check's noise rule needs only the feet).
    static func onsets(filtered f: [Double], reference x: [Double], rate: Double) -> [Int] {
        guard SignalMath.isValidRate(rate), x.count > Int(rate), !SignalMath.isFlat(f, reference: x) else { return [] }
        return feet(f, peaks: systolicPeaks(f, rate: rate), rate: rate)
    }

    static func systolicPeaks(_ f: [Double], rate: Double) -> [Int] {
        let energy = f.map { $0 > 0 ? $0 * $0 : 0 }
        let meanEnergy = SignalMath.mean(energy)
        guard meanEnergy > 0 else { return [] }
        let peakWidth = max(1, Int((peakWindowSeconds * rate).rounded()))
        let maPeak = SignalMath.movingAverage(energy, width: peakWidth)
        let maBeat = SignalMath.movingAverage(energy, width: max(1, Int((beatWindowSeconds * rate).rounded())))
        let offset = offsetFraction * meanEnergy
        let minimum = max(1, Int(minimumSeconds * rate))
        var peaks: [Int] = []
        var i = 0
        while i < f.count {
            guard maPeak[i] > maBeat[i] + offset else { i += 1; continue }
            var j = i
            while j < f.count && maPeak[j] > maBeat[j] + offset { j += 1 }
            if j - i >= peakWidth, let p = SignalMath.argmax(f, in: i..<j) {
                if let last = peaks.last, p - last < minimum {
                    if f[p] > f[last] { peaks[peaks.count - 1] = p }
                } else {
                    peaks.append(p)
                }
            }
            i = j
        }
        return peaks
    }

    static func feet(_ f: [Double], peaks: [Int], rate: Double) -> [Int] {
        let slope = SignalMath.derivative(f)
        let lookBack = max(2, Int(footSearchSeconds * rate))
        return peaks.enumerated().map { k, p in
            let start = max(k > 0 ? peaks[k - 1] : 0, p - lookBack)
            guard let low = SignalMath.argmin(f, in: start..<p),
                  let steep = SignalMath.argmax(slope, in: low..<(p + 1)), slope[steep] > 0 else { return p }
            let t = Double(steep) - (f[steep] - f[low]) / slope[steep]
            return min(max(low, Int(t.rounded())), steep)
        }
    }
}
