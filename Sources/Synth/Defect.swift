import Foundation
import Signals
import Store

/// A recording defect injected into a synthetic segment (docs/synth.md, "Defects").
public struct Defect: Sendable, Hashable {
    /// What went wrong.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// Band-limited bursts of large movement noise (mostly the PPG, sometimes both).
        case motion
        /// A large slow drift of the baseline (electrode or sensor pressure).
        case baselineWander = "baseline-wander"
        /// ADC saturation: the signal is cut flat above (and sometimes below) a level.
        case clipping
        /// A run of missing samples (NaN): lost packets or a loose contact.
        case missing
    }
    /// The kind of defect.
    public var kind: Kind
    /// The modalities it affects.
    public var modalities: [Modality]
    /// The samples it affects.
    public var samples: Range<Int>

    // MARK: - Injection

    /// Draws one defect for a segment of `count` samples at `rate` Hz and applies it to the signals.
    static func inject(ecg: inout [Float], ppg: inout [Float], _ rng: inout SynthRandom, rate: Double) -> Defect {
        let count = ecg.count
        let kind = Kind.allCases[rng.choose([1, 1, 1, 1])]
        let modalities: [Modality]
        switch kind {
        case .motion: modalities = rng.bernoulli(0.7) ? [.ppg] : [.ecg, .ppg]
        case .baselineWander, .missing: modalities = [[.ecg], [.ppg], [.ecg, .ppg]][rng.choose([0.4, 0.4, 0.2])]
        case .clipping: modalities = rng.bernoulli(0.5) ? [.ecg] : [.ppg]
        }
        let length: Int
        switch kind {
        case .motion: length = Int(rng.uniform(1.5, 5) * rate)
        case .baselineWander, .clipping: length = count
        case .missing: length = Int(rng.uniform(0.5, 3) * rate)
        }
        let start = length >= count ? 0 : Int(rng.uniform(0, Double(count - length)))
        let range = start..<(start + length)
        // Draw every random number before touching signals so ECG and PPG see the same event.
        let freqs = (0..<3).map { _ in rng.uniform(0.4, 4) }
        let phases = (0..<3).map { _ in rng.uniform(0, 2 * .pi) }
        let gains = (0..<3).map { _ in rng.uniform(0.5, 1.5) }
        let strength = rng.uniform(0.8, 3)
        let level = rng.uniform(0.5, 0.8)
        let lowerToo = rng.bernoulli(0.3)
        for m in modalities {
            if m == .ecg {
                apply(kind, to: &ecg, range, rate: rate, freqs, phases, gains, strength, level, lowerToo)
            } else {
                apply(kind, to: &ppg, range, rate: rate, freqs, phases, gains, strength, level, lowerToo)
            }
        }
        return Defect(kind: kind, modalities: modalities, samples: range)
    }

    private static func apply(_ kind: Kind, to x: inout [Float], _ range: Range<Int>, rate: Double,
                              _ freqs: [Double], _ phases: [Double], _ gains: [Double],
                              _ strength: Double, _ level: Double, _ lowerToo: Bool) {
        var lo = Float.infinity, hi = -Float.infinity
        for v in x where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        let span = Double(hi - lo)
        guard span > 0 else { return }
        switch kind {
        case .motion:
            let n = Double(range.count)
            for i in range {
                let u = Double(i - range.lowerBound) / n
                let window = sin(.pi * u) * sin(.pi * u)
                var v = 0.0
                for j in 0..<3 { v += gains[j] * sin(2 * .pi * freqs[j] * Double(i) / rate + phases[j]) }
                x[i] += Float(strength * 0.6 * span * window * v)
            }
        case .baselineWander:
            for i in range {
                let t = Double(i) / rate
                let v = gains[0] * sin(2 * .pi * freqs[0] * 0.12 * t + phases[0]) + gains[1] * (t / 10 - 0.5)
                x[i] += Float(strength * 0.5 * span * v)
            }
        case .clipping:
            let top = lo + Float(level * span), bottom = lo + Float((1 - level) * 0.5 * span)
            for i in range {
                if x[i] > top { x[i] = top }
                if lowerToo && x[i] < bottom { x[i] = bottom }
            }
        case .missing:
            for i in range { x[i] = .nan }
        }
    }
}
