import Foundation

/// R-peak detection in the Pan–Tompkins style, robust to polarity and baseline wander.
///
/// Steps: NaNs bridged; 5–30 Hz zero-phase band-pass (QRS energy; ``qrsHigh``, below
/// 0.45·rate); derivative, squared, moving integration over 150 ms; candidate peaks where the
/// integrated signal has a local maximum above ``thresholdFraction`` of its 98th percentile in
/// a ±5 s window (adaptive to amplitude changes); a refractory period of ``refractorySeconds`` keeps the larger of two close
/// candidates; gaps longer than ``searchBackFactor`` × the median RR are searched again at half
/// the threshold. Each R-peak is then placed on the extreme of the 0.5–40 Hz band-passed ECG
/// within ±``locateSeconds``, with one polarity (up or down) chosen for the whole recording by
/// the larger median QRS excursion, so inverted leads work as well as upright ones.
public enum RPeakDetector {
    /// Upper edge of the QRS-energy band, Hz. Pan and Tompkins' 15 Hz misses a QRS complex
    /// whose energy sits higher (v102s's lead II, wrapped inside the QRS and resampled to
    /// 125 Hz, then doubles the rate on the P and T waves); 30 Hz finds it.
    public static let qrsHigh = 30.0
    /// Moving-integration window (seconds).
    public static let integrationSeconds = 0.15
    /// Candidate threshold as a fraction of the local 98th percentile of the integrated signal.
    public static let thresholdFraction = 0.3
    /// Shortest RR interval accepted (seconds): 0.2 s = 300 bpm.
    public static let refractorySeconds = 0.2
    /// A gap longer than this many median RR intervals is searched again at half threshold.
    public static let searchBackFactor = 1.66
    /// Half-width (seconds) of the window where the R-peak is placed around a candidate.
    public static let locateSeconds = 0.08

    // MARK: - API

    /// Finds the R-peaks of an ECG lead.
    ///
    /// - Parameters:
    ///   - ecg: samples `(n)`, any unit; NaN where missing.
    ///   - rate: sampling rate in Hz.
    /// - Returns: sample indices of the R-peaks, ascending; empty for a flat or missing lead.
    public static func detect(_ ecg: [Float], rate: Double) -> [Int] {
        guard SignalMath.isValidRate(rate), let x = SignalMath.fillGaps(ecg.map(Double.init)) else { return [] }
        return detect(filled: x, rate: rate).peaks
    }

    // MARK: - Internal API

    /// `detect` on a gap-free lead; also returns the 0.5–40 Hz band-passed lead the peaks are
    /// placed on (empty when no peak search ran), which the quality check's noise rule reuses.
    static func detect(filled x: [Double], rate: Double) -> (peaks: [Int], clean: [Double]) {
        guard SignalMath.isValidRate(rate), x.count > Int(rate) else { return ([], []) }
        let qrsBand = Filters.butterworth(rate: rate, low: 5, high: min(qrsHigh, 0.45 * rate), order: 2)
        let band = Filters.filtfilt(qrsBand, x)
        guard !SignalMath.isFlat(band, reference: x) else { return ([], []) }
        let energy = SignalMath.derivative(band).map { $0 * $0 }
        let mwi = SignalMath.movingAverage(energy, width: max(1, Int(integrationSeconds * rate)))
        let threshold = localThreshold(mwi, rate: rate)
        guard threshold.contains(where: { $0 > 0 }) else { return ([], []) }
        let refractory = max(1, Int(refractorySeconds * rate))
        var candidates = pickPeaks(mwi, threshold: threshold, refractory: refractory, range: 0..<mwi.count)
        candidates = searchBack(candidates, mwi, threshold: threshold, refractory: refractory)
        let clean = Filters.filtfilt(cleanBand(rate: rate), x)
        return (locate(candidates, in: clean, halfWidth: max(1, Int(locateSeconds * rate)), refractory: refractory), clean)
    }

    /// The band the R-peaks are placed on: the model's ECG band (0.5–40 Hz, below 0.45·rate).
    static func cleanBand(rate: Double) -> [[Double]] {
        Filters.butterworth(rate: rate, low: 0.5, high: min(Preprocessing.band(for: .ecg).high, 0.45 * rate), order: 2)
    }

    /// thresholdFraction × the 98th percentile of `mwi` over ±5 s, evaluated every second.
    ///
    /// On a signal of up to 20 s (a segment) every window covers at least a quarter of it, so
    /// its top 2 % are nearly always among the signal's top 10 %: those are found once, sorted,
    /// and each window's two order statistics are read off by walking them from the largest
    /// down; a window that runs out of them is selected on its own. The values equal
    /// `SignalMath.quantile` on each window (same order statistics, same interpolation).
    static func localThreshold(_ mwi: [Double], rate: Double) -> [Double] {
        let n = mwi.count
        let step = max(1, Int(rate)), half = max(1, Int(5 * rate))
        let top = n <= 4 * half ? largestFirst(mwi, count: max(1, n / 10)) : []
        var out = [Double](repeating: 0, count: n)
        var start = 0
        while start < n {
            let centre = min(n - 1, start + step / 2)
            let lo = max(0, centre - half), hi = min(n, centre + half)
            let q = percentile98(of: lo..<hi, top: top) ?? SignalMath.quantile(Array(mwi[lo..<hi]), 0.98)
            let value = thresholdFraction * q
            for i in start..<min(n, start + step) { out[i] = value }
            start += step
        }
        return out
    }

    /// The `count` largest values of `x` (NaN-free) with their indices, largest first (ties
    /// beyond `count` included).
    static func largestFirst(_ x: [Double], count: Int) -> [(value: Double, index: Int)] {
        guard !x.isEmpty else { return [] }
        var scratch = x
        let k = x.count - min(count, x.count)
        let cut = scratch.withUnsafeMutableBufferPointer { b in OrderStatistics.select(b, k); return b[k] }
        var top: [(value: Double, index: Int)] = []
        top.reserveCapacity(count + 8)
        for (i, v) in x.enumerated() where v >= cut { top.append((v, i)) }
        top.sort { $0.value > $1.value }
        return top
    }

    /// The 98th percentile of `x[window]` from `top` (`largestFirst` of x), nil when `top` runs
    /// out before the window's two order statistics around position 0.98·(n − 1) are reached.
    static func percentile98(of window: Range<Int>, top: [(value: Double, index: Int)]) -> Double? {
        let n = window.count
        guard n > 0, !top.isEmpty else { return nil }
        let pos = 0.98 * Double(n - 1)
        let lo = Int(pos.rounded(.down)), hi = min(lo + 1, n - 1)
        // Ascending position p is the (n − 1 − p)-th value from the top of the window (0-based).
        let needLo = n - 1 - lo, needHi = n - 1 - hi
        var seen = 0, atHi = Double.nan
        for entry in top where window.contains(entry.index) {
            if seen == needHi { atHi = entry.value }
            if seen == needLo {
                let a = entry.value
                guard hi > lo, pos != Double(lo) else { return a }
                return a + (atHi - a) * (pos - Double(lo))
            }
            seen += 1
        }
        return nil
    }

    /// Local maxima of `x` above `threshold` in `range`, at least `refractory` apart (larger wins).
    static func pickPeaks(_ x: [Double], threshold: [Double], refractory: Int, range: Range<Int>) -> [Int] {
        var peaks: [Int] = []
        let lo = max(1, range.lowerBound), hi = min(x.count - 1, range.upperBound)
        guard lo < hi else { return [] }
        for i in lo..<hi where x[i] > threshold[i] && x[i] >= x[i - 1] && x[i] > x[i + 1] {
            if let last = peaks.last, i - last < refractory {
                if x[i] > x[last] { peaks[peaks.count - 1] = i }
            } else {
                peaks.append(i)
            }
        }
        return peaks
    }

    /// Re-searches gaps longer than searchBackFactor × median RR at half the threshold.
    static func searchBack(_ peaks: [Int], _ mwi: [Double], threshold: [Double], refractory: Int) -> [Int] {
        guard peaks.count >= 3 else { return peaks }
        let rr = zip(peaks.dropFirst(), peaks).map { Double($0 - $1) }
        let limit = searchBackFactor * SignalMath.median(rr)
        let half = threshold.map { $0 / 2 }
        var out: [Int] = []
        for (a, b) in zip(peaks, peaks.dropFirst()) {
            out.append(a)
            guard Double(b - a) > limit, b - a > 2 * refractory else { continue }
            let found = pickPeaks(mwi, threshold: half, refractory: refractory, range: (a + refractory)..<(b - refractory + 1))
            out += found
        }
        out.append(peaks[peaks.count - 1])
        return out
    }

    /// Moves each candidate to the ECG extreme of the recording's dominant polarity.
    static func locate(_ candidates: [Int], in ecg: [Double], halfWidth: Int, refractory: Int) -> [Int] {
        guard !candidates.isEmpty else { return [] }
        let windows = candidates.map { ($0 - halfWidth)..<($0 + halfWidth + 1) }
        let ups = windows.compactMap { w in SignalMath.argmax(ecg, in: w).map { ecg[$0] } }
        let downs = windows.compactMap { w in SignalMath.argmin(ecg, in: w).map { -ecg[$0] } }
        let upright = SignalMath.median(ups) >= SignalMath.median(downs)
        var peaks: [Int] = []
        for w in windows {
            guard let i = upright ? SignalMath.argmax(ecg, in: w) : SignalMath.argmin(ecg, in: w) else { continue }
            if let last = peaks.last, i - last < refractory {
                let better = upright ? ecg[i] > ecg[last] : ecg[i] < ecg[last]
                if better { peaks[peaks.count - 1] = i }
            } else {
                peaks.append(i)
            }
        }
        return peaks
    }
}
