import Foundation
import Model
import Signals
import Support

/// Seeded training-time augmentations that make a generated or recorded segment look as if
/// another device had recorded it (docs/training.md, "Device augmentations"). Each transform
/// applies to a segment independently with its probability; the result is prepared again
/// (band-pass, z-score), so it is what `Preprocessing.prepare` would have given for that device.
///
/// The transforms work on prepared 125 Hz segments (the model's input): amplitude and baseline
/// conventions (gain, offset, units) need none, because z-scoring removes them exactly.
public struct Augmentation: Sendable, Equatable {
    /// Probability of each transform (the polarity flip uses a third of it, the motion burst
    /// half), except the PPG delay's.
    public var probability: Double
    /// Probability of the PPG delay: a device's channel delay the PPG cannot show, so a model
    /// trained with it hedges where it places the R-peaks it rebuilds (docs/training.md).
    public var delayProbability: Double
    /// PPG delay relative to the ECG added by a device (seconds, uniform in this range).
    public var offsetRange: ClosedRange<Double> = -0.1...0.3
    /// Device rates the importer resamples from (Hz); rates above 125 Hz lose nothing at 125 Hz.
    public var rates: [Double] = [50, 64, 75, 100]
    /// Low-pass edge of a monitor's ECG filter (Hz) and of an oximeter's PPG filter (Hz).
    public var ecgLowPass: ClosedRange<Double> = 15...35
    public var ppgLowPass: ClosedRange<Double> = 3...7
    /// Weight of the ECG's derivative mixed into it (another lead's view of QRS against P/T).
    public var leadMix: ClosedRange<Double> = -0.5...0.5
    /// Baseline wander: frequency (Hz) and amplitude (in the segment's standard deviations).
    public var wanderFrequency: ClosedRange<Double> = 0.05...0.5
    public var wanderAmplitude: ClosedRange<Double> = 0.2...1.0
    /// Motion burst: amplitude (standard deviations) and duration (seconds).
    public var motionAmplitude: ClosedRange<Double> = 0.3...1.5
    public var motionDuration: ClosedRange<Double> = 0.5...2.0

    /// The model's sampling rate.
    public static let rate = 125.0

    /// - Parameters: probability: of each transform but the delay; delayProbability: of the
    ///   delay (`probability` when nil); both in [0, 1].
    public init(probability: Double, delayProbability: Double? = nil) {
        self.probability = probability; self.delayProbability = delayProbability ?? probability
    }

    /// For logs and the checkpoint's source label.
    public var label: String { String(format: "augment %.2f delay %.2f", probability, delayProbability) }

    /// Augments one prepared segment (both modalities the same length) and prepares it again.
    /// - Complexity: O(n · 40) for the resampling, O(n) otherwise.
    public func apply(ecg: [Float], ppg: [Float], using rng: inout SplitMix64) -> (ecg: [Float], ppg: [Float]) {
        var e = ecg, p = ppg
        let p0 = probability
        func chance(_ q: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < q }
        func uniform(_ r: ClosedRange<Double>) -> Double { Double.random(in: r, using: &rng) }
        var changed = false
        if chance(delayProbability) {
            p = Self.delay(p, seconds: uniform(offsetRange)); changed = true
        }
        if chance(p0), let f = rates.randomElement(using: &rng) {
            e = Self.resampled(e, through: f); p = Self.resampled(p, through: f); changed = true
        }
        if chance(p0) {
            e = Self.lowPass(e, edge: uniform(ecgLowPass)); p = Self.lowPass(p, edge: uniform(ppgLowPass)); changed = true
        }
        if chance(p0 / 3) { e = e.map { -$0 }; changed = true }
        if chance(p0) { e = Self.leadMixed(e, weight: uniform(leadMix)); changed = true }
        if chance(p0) {
            e = Self.wander(e, frequency: uniform(wanderFrequency), amplitude: uniform(wanderAmplitude), phase: uniform(0...(2 * .pi)))
            p = Self.wander(p, frequency: uniform(wanderFrequency), amplitude: uniform(wanderAmplitude), phase: uniform(0...(2 * .pi)))
            changed = true
        }
        if chance(p0 / 2) {
            let centre = uniform(0...(Double(p.count) / Self.rate)), width = uniform(motionDuration), a = uniform(motionAmplitude)
            p = Self.motion(p, centre: centre, duration: width, amplitude: a, using: &rng)
            e = Self.motion(e, centre: centre, duration: width, amplitude: a / 3, using: &rng)
            changed = true
        }
        guard changed else { return (ecg, ppg) }
        return (Preprocessing.prepare(e, modality: .ecg), Preprocessing.prepare(p, modality: .ppg))
    }

    // MARK: - Transforms (each keeps the length)

    /// `x` delayed by `seconds` (negative: advanced); the samples shifted in mirror the edge.
    public static func delay(_ x: [Float], seconds: Double) -> [Float] {
        DeviceDelay.shifted(x, by: -Int((seconds * rate).rounded()))
    }

    /// `x` as a device sampling at `deviceRate` records it, brought back to 125 Hz the way the
    /// importer does (`Resampler`, anti-aliased both ways).
    public static func resampled(_ x: [Float], through deviceRate: Double) -> [Float] {
        guard deviceRate < rate else { return x }
        let back = Resampler.resample(Resampler.resample(x, from: rate, to: deviceRate), from: deviceRate, to: rate)
        if back.count >= x.count { return Array(back.prefix(x.count)) }
        return back + [Float](repeating: back.last ?? 0, count: x.count - back.count)
    }

    /// A monitor's low-pass (Butterworth order 2, zero-phase) at `edge` Hz.
    public static func lowPass(_ x: [Float], edge: Double) -> [Float] {
        Filters.bandpass(x, rate: rate, low: 0, high: edge, order: 2)
    }

    /// `x` plus `weight` times its central-difference derivative scaled to `x`'s standard deviation.
    public static func leadMixed(_ x: [Float], weight: Double) -> [Float] {
        let n = x.count
        guard n > 2 else { return x }
        var d = [Float](repeating: 0, count: n)
        for i in 1..<(n - 1) { d[i] = (x[i + 1] - x[i - 1]) / 2 }
        d[0] = d[1]; d[n - 1] = d[n - 2]
        let scale = Float(standardDeviation(x) / max(standardDeviation(d), 1e-12) * weight)
        return zip(x, d).map { $0 + scale * $1 }
    }

    /// `x` plus a sinusoid of `frequency` Hz, `amplitude` standard deviations of `x`.
    public static func wander(_ x: [Float], frequency: Double, amplitude: Double, phase: Double) -> [Float] {
        let a = amplitude * standardDeviation(x)
        return x.indices.map { x[$0] + Float(a * sin(2 * .pi * frequency * Double($0) / rate + phase)) }
    }

    /// `x` plus a burst of 1–4 Hz noise under a Gaussian window centred at `centre` seconds,
    /// `duration` seconds wide (two standard deviations), peaking near `amplitude` standard deviations of `x`.
    public static func motion(_ x: [Float], centre: Double, duration: Double, amplitude: Double,
                              using rng: inout SplitMix64) -> [Float] {
        let noise = Filters.bandpass((0..<x.count).map { _ in rng.nextGaussian() }, rate: rate, low: 1, high: 4, order: 2)
        let scale = amplitude * standardDeviation(x) / max(standardDeviation(noise), 1e-12)
        let sigma = duration / 2 * rate, c = centre * rate
        return x.indices.map { i in
            let w = exp(-0.5 * pow((Double(i) - c) / sigma, 2))
            return x[i] + Float(scale * w) * noise[i]
        }
    }

    static func standardDeviation(_ x: [Float]) -> Double {
        guard !x.isEmpty else { return 0 }
        let m = x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
        return (x.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(x.count)).squareRoot()
    }
}
