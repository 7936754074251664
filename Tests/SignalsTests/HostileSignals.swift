import Foundation
import Support

// MARK: - Deterministic hostile inputs for the robustness property tests

/// A few hundred generated signals that the detectors and features must survive: sines of
/// 0.1–30 Hz (alone, with noise, mixed around 4 Hz), white noise, steps, square waves,
/// impulses, constants, all-NaN, half-NaN, scattered NaN and ±inf, lengths from 0 samples to
/// 60 s, amplitudes from 1e-30 to 3e38, upright and inverted synthetic ECG, rates 50–1000 Hz.
///
/// Everything comes from one `SplitMix64` seeded in ``cases(seed:)``, so a failing case is
/// reproduced by its name alone.
struct HostileSignals {
    /// One generated input.
    struct Case: CustomStringConvertible {
        var name: String
        /// Samples `(n)`.
        var samples: [Float]
        var rate: Double
        var description: String { "\(name) (n \(samples.count), \(rate) Hz)" }
    }

    /// The rates every family is drawn at.
    static let rates: [Double] = [50, 62.47, 100, 125, 128, 250, 360, 500, 1000]

    /// Generated signals last 10 s, capped at 1,500 samples (3 s at 500 Hz, 1.5 s at 1 kHz) to
    /// keep the debug-build test short; the two long cases are the exception.
    static func seconds(at rate: Double) -> Double { min(10, 1500 / rate) }

    private var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    // MARK: - Cases

    /// Every case, in a fixed order.
    static func cases(seed: UInt64 = 2026) -> [Case] {
        var g = HostileSignals(seed: seed)
        var out: [Case] = []
        // Sines of 0.1–30 Hz with and without noise, at every rate (10 s).
        for rate in rates {
            for f in [0.1, 0.5, 1.3, 4, 7.7, 15, 30] {
                let phase = g.uniform() * 2 * .pi
                if [0.1, 4, 30].contains(f) {
                    out.append(Case(name: "sine \(f) Hz", samples: g.signal(rate: rate, seconds: seconds(at: rate)) { t, _ in sin(2 * .pi * f * t + phase) }, rate: rate))
                }
                out.append(Case(name: "sine \(f) Hz + noise", samples: g.signal(rate: rate, seconds: seconds(at: rate)) { t, g in
                    sin(2 * .pi * f * t + phase) + 0.3 * g.gaussian() }, rate: rate))
            }
        }
        // The analytics report's family: sines near 4 Hz plus a second tone and noise.
        for k in 0..<40 {
            let rate = rates[k % rates.count]
            let f1 = 3 + 2 * g.uniform(), f2 = 0.1 + 29.9 * g.uniform(), a2 = g.uniform(), noise = 0.5 * g.uniform()
            let length = min([1.2, 2, 5, 10, 10][k % 5], seconds(at: rate))
            out.append(Case(name: "mix \(k): \(f1) Hz + \(a2)×\(f2) Hz + \(noise) noise", samples: g.signal(rate: rate, seconds: length) { t, g in
                sin(2 * .pi * f1 * t) + a2 * sin(2 * .pi * f2 * t) + noise * g.gaussian() }, rate: rate))
        }
        for rate in [50.0, 125, 360, 1000] {
            out.append(Case(name: "uniform noise", samples: g.signal(rate: rate, seconds: seconds(at: rate)) { _, g in g.uniform() }, rate: rate))
            out.append(Case(name: "gaussian noise", samples: g.signal(rate: rate, seconds: seconds(at: rate)) { _, g in g.gaussian() }, rate: rate))
            out.append(Case(name: "step", samples: g.signal(rate: rate, seconds: seconds(at: rate)) { t, _ in t < 0.43 * seconds(at: rate) ? 0 : 1 }, rate: rate))
            out.append(Case(name: "square 1 Hz", samples: g.signal(rate: rate, seconds: seconds(at: rate)) { t, _ in t.truncatingRemainder(dividingBy: 1) < 0.5 ? -1 : 1 }, rate: rate))
            let n = Int(seconds(at: rate) * rate)
            out.append(Case(name: "one impulse", samples: (0..<n).map { $0 == n / 3 ? 1 : 0 }, rate: rate))
            let period = Int(0.8 * rate)
            out.append(Case(name: "impulse train 75 bpm", samples: (0..<n).map { $0 % period == period / 2 ? 1 : 0 }, rate: rate))
            out.append(Case(name: "negative impulse train", samples: (0..<n).map { $0 % period == 3 ? -5 : 0 }, rate: rate))
            for c: Float in [0, 5, -3e30] {
                out.append(Case(name: "constant \(c)", samples: [Float](repeating: c, count: n), rate: rate))
            }
            out.append(Case(name: "all NaN", samples: [Float](repeating: .nan, count: n), rate: rate))
            out.append(Case(name: "all +inf", samples: [Float](repeating: .infinity, count: n), rate: rate))
            let beats = g.beats(rate: rate)
            out.append(Case(name: "ECG, first half NaN", samples: beats.ecg().enumerated().map { $0 < n / 2 ? .nan : $1 }, rate: rate))
            out.append(Case(name: "ECG, second half NaN", samples: beats.ecg().enumerated().map { $0 >= n / 2 ? .nan : $1 }, rate: rate))
            out.append(Case(name: "ECG, every other sample NaN", samples: beats.ecg().enumerated().map { $0 % 2 == 1 ? .nan : $1 }, rate: rate))
            out.append(Case(name: "PPG, scattered NaN and ±inf", samples: beats.ppg().map { v in
                let u = g.uniform()
                return u < 0.05 ? .nan : u < 0.07 ? .infinity : u < 0.09 ? -.infinity : v }, rate: rate))
            out.append(Case(name: "single finite sample", samples: (0..<n).map { $0 == n / 2 ? 1 : .nan }, rate: rate))
        }
        // Synthetic ECG and PPG: upright, inverted, scaled from tiny to near Float's limit.
        for rate in rates {
            let beats = g.beats(rate: rate)
            let ecg = beats.ecg(), ppg = beats.ppg()
            out.append(Case(name: "ECG", samples: ecg, rate: rate))
            out.append(Case(name: "inverted ECG", samples: ecg.map { -$0 }, rate: rate))
            out.append(Case(name: "PPG", samples: ppg, rate: rate))
            out.append(Case(name: "inverted PPG", samples: ppg.map { -$0 }, rate: rate))
            for scale: Float in [1e-30, 1e-20, 1e20, 3e37] {
                out.append(Case(name: "ECG × \(scale)", samples: ecg.map { $0 * scale }, rate: rate))
                out.append(Case(name: "PPG × \(scale)", samples: ppg.map { $0 * scale }, rate: rate))
            }
            out.append(Case(name: "ECG at ±Float.max", samples: ecg.map { $0 > 0.5 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude }, rate: rate))
            out.append(Case(name: "subnormal ECG", samples: ecg.map { $0 * .leastNonzeroMagnitude * 4 }, rate: rate))
        }
        // Very short arrays: every length up to 4, then around one second (the detectors' floor).
        for rate in [50.0, 125, 1000] {
            let beats = g.beats(rate: rate).ecg()
            let one = Int(rate)
            for n in [0, 1, 2, 3, 4, one - 1, one, one + 1, one + 2, 2 * one] {
                out.append(Case(name: "short ECG \(n)", samples: Array(beats.prefix(n)), rate: rate))
            }
        }
        // Very long arrays: 60 s.
        out.append(Case(name: "long ECG", samples: g.beats(rate: 125, seconds: 60).ecg(), rate: 125))
        out.append(Case(name: "long noisy sine", samples: g.signal(rate: 250, seconds: 30) { t, g in sin(2 * .pi * 4 * t) + 0.3 * g.gaussian() }, rate: 500))
        return out
    }

    // MARK: - Generators

    /// `seconds × rate` samples of `value(t, generator)`.
    mutating func signal(rate: Double, seconds: Double, _ value: (Double, inout HostileSignals) -> Double) -> [Float] {
        (0..<Int(seconds * rate)).map { i in Float(value(Double(i) / rate, &self)) }
    }

    /// Synthetic beats at `rate` with a random rhythm of 50–140 bpm and some noise.
    mutating func beats(rate: Double, seconds: Double? = nil) -> SyntheticBeats {
        let seconds = seconds ?? Self.seconds(at: rate)
        var b = SyntheticBeats()
        b.rate = rate
        b.seconds = seconds
        let rr = 60 / (50 + 90 * uniform())
        b.rPeaks = stride(from: 0.3 + 0.3 * uniform(), to: seconds - 0.6, by: rr).map { $0 }
        b.qt = min(0.42, 0.55 * rr)
        b.noise = 0.05 * uniform()
        b.wander = 0.3 * uniform()
        return b
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double {
        rng.uniform()
    }

    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Double {
        (-2 * log(max(1e-300, uniform()))).squareRoot() * cos(2 * .pi * uniform())
    }
}
