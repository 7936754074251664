import Foundation
import Signals
import Store

/// The synthetic labelled cohort: deterministic for a seed, any subject or segment on demand.
///
/// Subject `i` is drawn from the stream `(seed, i)`; segment `j` of subject `i` from the
/// stream `(seed, i, j)`, so subjects and segments can be generated in any order, in parallel,
/// or streamed by the trainer, always with the same result.
///
/// ```swift
/// let cohort = CohortGenerator(seed: 7)
/// let s = cohort.subject(3)                    // labels + physiology
/// let segs = cohort.segments(subject: 3, count: 4)  // 4 × (1,250 ECG mV, 1,250 PPG a.u.)
/// ```
public struct CohortGenerator: Sendable {
    /// The cohort seed.
    public let seed: UInt64
    /// The generator knobs.
    public let config: SynthConfig
    /// Output rate (Hz) and samples per modality: the store's segment format.
    public static let rate = SegmentFormat.sampleRate
    public static let samples = SegmentFormat.samples

    /// A generator for `seed` with the given knobs.
    public init(seed: UInt64, config: SynthConfig = SynthConfig()) {
        self.seed = seed; self.config = config
    }

    /// ADC resolution of the output: 2⁻¹⁰ mV (≈1 µV) for ECG, 2⁻¹² a.u. for PPG. Powers of two
    /// leave the low mantissa bits zero, which the store's shuffle + deflate compresses well.
    public static let ecgStep: Float = 0x1p-10
    public static let ppgStep: Float = 0x1p-12

    // MARK: - API

    /// The id of subject `i` (`S00042`).
    public static func subjectID(_ i: Int) -> String { String(format: "S%05d", i) }

    /// Subject `i`: its labels and physiology.
    public func subject(_ i: Int) -> SynthSubject {
        var rng = SynthRandom(seed: seed, streams: [UInt64(i)])
        let p = SubjectModel.draw(&rng, config: config)
        return SynthSubject(index: i, subject: Subject(id: Self.subjectID(i), labels: p.labels), physiology: p)
    }

    /// The first `count` segments of subject `i`.
    public func segments(subject i: Int, count: Int) -> [Segment] {
        let s = subject(i)
        return (0..<count).map { segment(s, index: $0).segment }
    }

    /// Segment `j` of a subject, with its ground truth.
    ///
    /// The segment belongs to record `<id>_r0` and starts at `j·spacing + u·spacing·2/3` s
    /// (u uniform), so start times grow along the record. Samples are quantised to the ADC
    /// steps and the quality flags set by `Signals.QualityCheck.assess`.
    /// - Complexity: O(samples); about 0.1 ms.
    public func segment(_ s: SynthSubject, index j: Int) -> SynthSegment {
        var rng = SynthRandom(seed: seed, streams: [UInt64(s.index), UInt64(j) &+ 1])
        let p = s.physiology
        let rate = Self.rate, n = Self.samples
        let duration = Double(n) / rate
        let start = (Double(j) + rng.uniform(0, 2.0 / 3)) * config.segmentSpacing
        let c = SegmentConditions.draw(p, &rng)
        let beats = RRProcess.beats(p, c, &rng, start: -ECGModel.warmUp - 1.5, end: duration + 0.5)
        var ecg = ECGModel.render(beats, p, c, &rng, count: n, rate: rate)
        let pulse = PPGModel.render(beats, p, c, &rng, count: n, rate: rate)
        var ppg = pulse.samples
        var defects: [Defect] = []
        if rng.bernoulli(config.defectRate) {
            defects.append(Defect.inject(ecg: &ecg, ppg: &ppg, &rng, rate: rate))
        }
        Self.quantise(&ecg, step: Self.ecgStep)
        Self.quantise(&ppg, step: Self.ppgStep)
        let meta = SegmentMeta(subjectIndex: Int32(s.index), record: s.subject.id + "_r0", start: start.rounded(),
                               ecgOriginalRate: rate, ppgOriginalRate: rate,
                               ecgQuality: QualityCheck.assess(ecg, rate: rate, modality: .ecg),
                               ppgQuality: QualityCheck.assess(ppg, rate: rate, modality: .ppg))
        return SynthSegment(segment: Segment(meta: meta, ecg: ecg, ppg: ppg),
                            beats: beats.filter { $0.time >= 0 && $0.time < duration },
                            arrivalTimes: pulse.arrivalTimes, systolic: c.systolic, defects: defects)
    }

    // MARK: - Internal

    /// Rounds every finite sample to a multiple of `step` (NaN stays NaN).
    private static func quantise(_ x: inout [Float], step: Float) {
        let inv = 1 / step
        for i in x.indices { x[i] = (x[i] * inv).rounded() * step }
    }
}
