import Foundation
import Support

// MARK: - Synthetic ECG and PPG with known fiducials

/// Piecewise-analytic beats whose intervals are known exactly, for detector and feature tests.
///
/// ECG beat (R at time r): P half-sine 0.15 ending 60 ms before QRS onset (PR 160 ms); QRS a triangle of height 1
/// over [r − qrs/2, r + qrs/2]; T half-sine of height `tHeight` over the 0.16 s ending at
/// QRS onset + qt; an optional ST plateau `st` from the QRS end to the T start.
/// PPG pulse (foot at r + pat): raised-cosine upstroke of height 1 over `rise`, then a
/// cosine decay to 0 over 0.45 s plus a diastolic Gaussian bump (height `diastolic`, σ 40 ms)
/// 0.25 s after the peak; with `alternans` every other pulse is scaled by 1 − alternans.
struct SyntheticBeats {
    var rate = 125.0
    var seconds = 10.0
    var rPeaks: [Double] = stride(from: 0.504, to: 9.6, by: 0.8).map { $0 }
    var qrs = 0.1
    var qt = 0.4
    var tHeight = 0.3
    var st = 0.0
    var pat = 0.25
    var rise = 0.12
    var diastolic = 0.3
    var alternans = 0.0
    var wander = 0.0
    var noise = 0.0

    var count: Int { Int(seconds * rate) }

    /// The ECG `(count)`.
    func ecg() -> [Float] {
        var rng = SplitMix64(seed: 42)
        return (0..<count).map { i in
            let t = Double(i) / rate
            var v = wander * sin(2 * .pi * 0.3 * t)
            for r in rPeaks {
                let onset = r - qrs / 2, end = r + qrs / 2
                v += halfSine(t, from: onset - 0.16, to: onset - 0.06, height: 0.15)
                if t >= onset && t <= end { v += 1 - abs(t - r) / (qrs / 2) }
                let tEnd = onset + qt, tStart = tEnd - 0.16
                v += halfSine(t, from: tStart, to: tEnd, height: tHeight)
                if t > end && t < tStart { v += st }
            }
            v += noise * (rng.uniform() - 0.5)
            return Float(v)
        }
    }

    /// The PPG `(count)`.
    func ppg() -> [Float] {
        (0..<count).map { i in
            let t = Double(i) / rate
            var v = wander * sin(2 * .pi * 0.25 * t)
            for (k, r) in rPeaks.enumerated() {
                let foot = r + pat, peak = foot + rise
                let scale = k % 2 == 1 ? 1 - alternans : 1
                if t >= foot && t < peak { v += scale * (1 - cos(.pi * (t - foot) / rise)) / 2 }
                if t >= peak && t < peak + 0.45 { v += scale * (1 + cos(.pi * (t - peak) / 0.45)) / 2 }
                let d = t - (peak + 0.25)
                v += scale * diastolic * exp(-d * d / (2 * 0.04 * 0.04))
            }
            return Float(v)
        }
    }

    /// The sample index of each R-peak.
    var rIndices: [Int] { rPeaks.map { Int(($0 * rate).rounded()) } }

    /// Where the intersecting-tangents foot of a raised-cosine upstroke lies after its start.
    var tangentFootDelay: Double { rise * (0.5 - 1 / Double.pi) }

    private func halfSine(_ t: Double, from a: Double, to b: Double, height: Double) -> Double {
        t >= a && t <= b ? height * sin(.pi * (t - a) / (b - a)) : 0
    }
}
