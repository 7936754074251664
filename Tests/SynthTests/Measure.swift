import Foundation

/// Small, independent measurements on generated signals, so the tests check what a reader of
/// the output would see rather than the generator's own bookkeeping.
enum Measure {
    static let rate = 125.0

    /// R peaks of a clean ECG: local maxima of |x − median| above half the largest, ≥ 0.25 s apart.
    static func rPeaks(_ x: [Float]) -> [Int] {
        let med = x.sorted()[x.count / 2]
        let a = x.map { abs($0 - med) }
        let threshold = 0.5 * (a.max() ?? 0)
        var peaks: [Int] = []
        let gap = Int(0.25 * rate)
        for i in 1..<(a.count - 1) where a[i] >= threshold && a[i] >= a[i - 1] && a[i] > a[i + 1] {
            if let last = peaks.last, i - last < gap {
                if a[i] > a[last] { peaks[peaks.count - 1] = i }
            } else {
                peaks.append(i)
            }
        }
        return peaks
    }

    /// RR intervals (s) from peaks.
    static func rr(_ peaks: [Int]) -> [Double] {
        zip(peaks.dropFirst(), peaks).map { Double($0 - $1) / rate }
    }

    /// Root mean square of successive RR differences over the mean RR (beat-to-beat irregularity).
    static func normalisedRMSSD(_ rr: [Double]) -> Double {
        guard rr.count > 2 else { return 0 }
        let d = zip(rr.dropFirst(), rr).map { ($0 - $1) * ($0 - $1) }
        return (d.reduce(0, +) / Double(d.count)).squareRoot() / mean(rr)
    }

    /// Full width at half maximum (s) of the QRS around each R peak, in the absolute signal, averaged.
    static func qrsWidth(_ x: [Float], peaks: [Int]) -> Double {
        let med = x.sorted()[x.count / 2]
        var widths: [Double] = []
        for p in peaks where p > 20 && p < x.count - 20 {
            let half = abs(x[p] - med) / 2
            var l = p, r = p
            while l > p - 20 && abs(x[l] - med) > half { l -= 1 }
            while r < p + 20 && abs(x[r] - med) > half { r += 1 }
            widths.append(Double(r - l) / rate)
        }
        return mean(widths)
    }

    /// Mean pulse arrival time (s): from each R peak to the steepest PPG upstroke 0.08–0.6 s later.
    static func arrivalTime(ecgPeaks: [Int], ppg: [Float]) -> Double {
        var pats: [Double] = []
        for p in ecgPeaks {
            let lo = p + 10, hi = p + 75
            guard hi + 1 < ppg.count else { continue }
            var best = lo, slope = -Float.infinity
            for i in lo..<hi where ppg[i + 1] - ppg[i - 1] > slope { slope = ppg[i + 1] - ppg[i - 1]; best = i }
            pats.append(Double(best - p) / rate)
        }
        return median(pats)
    }

    /// Time (s) from the systolic peak to the reflected (diastolic) wave in the upstroke-aligned
    /// average pulse: the distance between the first two curvature minima (local minima of the
    /// smoothed second derivative, each a wave's crest, visible even when the reflection only
    /// makes a late-systolic shoulder).
    static func reflectionDelay(ecgPeaks: [Int], ppg: [Float]) -> Double? {
        let length = 90
        var sum = [Double](repeating: 0, count: length), n = 0
        for p in ecgPeaks where p + length + 80 < ppg.count {
            var best = p + 10, slope = -Float.infinity
            for i in (p + 10)..<(p + 75) where ppg[i + 1] - ppg[i - 1] > slope { slope = ppg[i + 1] - ppg[i - 1]; best = i }
            for k in 0..<length { sum[k] += Double(ppg[best + k]) }
            n += 1
        }
        guard n > 2 else { return nil }
        var x = sum.map { $0 / Double(n) }
        for _ in 0..<2 {
            x = (0..<length).map { (k: Int) -> Double in Measure.mean(Array(x[max(0, k - 2)...min(length - 1, k + 2)])) }
        }
        var d2 = [Double](repeating: 0, count: length - 2)
        for k in 1..<(length - 1) { d2[k - 1] = x[k + 1] - 2 * x[k] + x[k - 1] }
        let floor = 0.1 * (d2.min() ?? 0)
        var minima: [Int] = []
        for k in 1..<(d2.count - 1) where d2[k] < floor && d2[k] <= d2[k - 1] && d2[k] < d2[k + 1] {
            if let last = minima.last, k - last < 10 { continue }
            minima.append(k)
        }
        guard minima.count >= 2 else { return nil }
        return Double(minima[1] - minima[0]) / rate
    }

    static func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }
    static func median(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.sorted()[x.count / 2] }
}
