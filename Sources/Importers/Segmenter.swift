import Foundation
import Signals
import Store
import Support

/// Turns a recording into the store's 10-s paired segments: picks the ECG and PPG channels,
/// resamples them to 125 Hz, cuts back-to-back 10-s windows inside each part and runs the
/// quality check on every window (on the samples as read, at the original rate, where
/// clipping and wrap-around are exact). The two resamplings, and the windows' quality checks,
/// run on all cores; the result is the same on any number.
///
/// A part with only one of the two modalities gives segments whose other modality is all NaN
/// and flagged `.absent`. A modality that is NaN everywhere or constant everywhere in the
/// recording is bad input, not an absent one.
public enum Segmenter {
    /// The sampling rates a picked channel may have. Below 10 Hz no waveform shape survives
    /// (and a rate of 0.01 Hz would turn a few samples into hours of 125-Hz output); above
    /// 100 kHz nothing physiological is recorded. The bound also caps every size that follows
    /// from a rate: the 125-Hz output is at most 12.5 samples per sample read.
    public static let acceptedRates: ClosedRange<Double> = 10...100_000

    // MARK: - API

    /// The segments of `recording`, in time order.
    ///
    /// - Parameters:
    ///   - file: the path named in errors.
    ///   - picker: how to choose the channels.
    ///   - subjectIndex: the subject every segment belongs to.
    /// - Returns: the segments, the names of the channels used (per modality, in part order)
    ///   and notes about parts that were skipped.
    /// - Throws: `ImportError` for a recording without ECG and PPG, with a NaN-only or flat
    ///   channel, a picked channel whose rate is outside ``acceptedRates``, a part starting at
    ///   a non-finite time, or shorter than one segment.
    public static func segments(of recording: Recording, file: String, picker: ChannelPicker,
                                subjectIndex: Int32) throws -> (segments: [Segment], channels: [Modality: [String]], notes: [String]) {
        let n = SegmentFormat.samples, rate = SegmentFormat.sampleRate
        var segments: [Segment] = []
        var notes: [String] = []
        var seen: [Modality: (finite: Bool, lo: Double, hi: Double)] = [:]
        var used: [Modality: [String]] = [:]
        var longest = 0.0
        for part in recording.parts {
            let names = part.channels.map(\.name)
            var picked: [Modality: Channel] = [:]
            for m in Modality.allCases {
                if let i = try picker.pick(m, in: part.channels, file: file) { picked[m] = part.channels[i] }
            }
            guard !picked.isEmpty else {
                notes.append("\(part.label): no ECG or PPG channel among \(names.joined(separator: ", ")); skipped")
                continue
            }
            guard part.start.isFinite else {
                throw ImportError(file, "\(part.label): the part starts at \(part.start) s, not a finite time")
            }
            for (m, c) in picked.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !acceptedRates.contains(c.rate) {
                throw ImportError(file, "channel '\(c.name)' (\(m.rawValue.uppercased())) has a sampling rate of \(c.rate) Hz, outside the accepted \(Int(acceptedRates.lowerBound))–\(Int(acceptedRates.upperBound)) Hz")
            }
            for (m, c) in picked {
                if used[m]?.contains(c.name) != true { used[m, default: []].append(c.name) }
                var s = seen[m] ?? (false, .infinity, -.infinity)
                for v in c.samples where v.isFinite { s.finite = true; s.lo = min(s.lo, v); s.hi = max(s.hi, v) }
                seen[m] = s
            }
            let duration = picked.values.map(\.duration).min()!
            longest = max(longest, duration)
            let windows = Int((duration / SegmentFormat.seconds + 1e-9).rounded(.down))
            guard windows > 0 else { continue }
            // Float samples per picked modality, as read: converted once for both uses below
            let floats = picked.mapValues { $0.samples.map(Float.init) }
            let resampled = resampledChannels(picked, floats, to: rate)
            let quality = qualityFlags(of: picked, floats, windows: windows)
            for k in 0..<windows {
                let signal = PerModality { m -> [Float] in
                    guard let y = resampled[m] else { return [Float](repeating: .nan, count: n) }
                    var window = Array(y[min(k * n, y.count)..<min((k + 1) * n, y.count)])
                    if window.count < n { window += [Float](repeating: .nan, count: n - window.count) }
                    return window
                }
                let meta = SegmentMeta(subjectIndex: subjectIndex, record: recording.name,
                                       start: part.start + Double(k) * SegmentFormat.seconds,
                                       ecgOriginalRate: picked[.ecg]?.rate ?? 0, ppgOriginalRate: picked[.ppg]?.rate ?? 0,
                                       ecgQuality: quality[k].ecg, ppgQuality: quality[k].ppg)
                segments.append(Segment(meta: meta, ecg: signal.ecg, ppg: signal.ppg))
            }
        }
        guard !seen.isEmpty else {
            let names = Set(recording.parts.flatMap { $0.channels.map(\.name) }).sorted()
            throw ImportError(file, "no ECG or PPG channel (channels: \(names.joined(separator: ", "))); name them with --ecg/--ppg")
        }
        for m in Modality.allCases {
            guard let s = seen[m] else { continue }
            let label = m.rawValue.uppercased()
            guard s.finite else { throw ImportError(file, "the \(label) channel holds no valid sample (all NaN)") }
            guard s.hi > s.lo else { throw ImportError(file, "the \(label) channel is flat (every sample is \(s.lo))") }
        }
        guard !segments.isEmpty else {
            throw ImportError(file, String(format: "too short: the longest stretch with ECG or PPG is %.1f s, a segment needs %.0f s", longest, SegmentFormat.seconds))
        }
        if let delay = recordDelay(segments) {
            for i in segments.indices { segments[i].meta.ppgDelay = delay }
        }
        return (segments, used, notes)
    }

    /// The record's ECG → PPG delay (`DeviceDelay.record`) over its segments without a quality
    /// flag in either modality, measured on all cores; nil when no such segment has one.
    static func recordDelay(_ segments: [Segment]) -> Double? {
        let clean = segments.filter { $0.meta.ecgQuality.isEmpty && $0.meta.ppgQuality.isEmpty }
        guard !clean.isEmpty else { return nil }
        let delays = UnsafeMutablePointer<Double>.allocate(capacity: clean.count)
        delays.initialize(repeating: .nan, count: clean.count)
        defer { delays.deallocate() }
        let out = SendablePointer(delays)
        parallelFor(clean.count) { i in
            out[i] = DeviceDelay.segment(ecg: clean[i].ecg, ppg: clean[i].ppg, rate: SegmentFormat.sampleRate) ?? .nan
        }
        return DeviceDelay.record(UnsafeBufferPointer(start: delays, count: clean.count).filter { !$0.isNaN })
    }

    // MARK: - Internal API

    /// The quality flags of every 10-s window of one part (`.absent` for a modality not
    /// picked), each window checked on the samples as read, at the original rate. The windows
    /// are independent, so they are checked on all cores; the flags do not depend on how.
    ///
    /// - Parameter floats: each picked channel's samples as Float.
    static func qualityFlags(of picked: [Modality: Channel], _ floats: [Modality: [Float]],
                             windows: Int) -> [PerModality<QualityFlags>] {
        let flags = UnsafeMutablePointer<PerModality<QualityFlags>>.allocate(capacity: windows)
        flags.initialize(repeating: PerModality(ecg: .absent, ppg: .absent), count: windows)
        defer { flags.deallocate() }
        let out = SendablePointer(flags)
        parallelFor(windows) { k in
            for m in Modality.allCases {
                guard let c = picked[m], let x = floats[m] else { continue }
                let from = Int((Double(k) * SegmentFormat.seconds * c.rate).rounded())
                let to = min(x.count, Int((Double(k + 1) * SegmentFormat.seconds * c.rate).rounded()))
                out[k][m] = QualityCheck.assess(Array(x[from..<to]), rate: c.rate, modality: m)
            }
        }
        return Array(UnsafeBufferPointer(start: flags, count: windows))
    }

    /// The picked channels (`floats`: their samples as Float) resampled to `rate`, the
    /// modalities side by side on two cores.
    static func resampledChannels(_ picked: [Modality: Channel], _ floats: [Modality: [Float]],
                                  to rate: Double) -> [Modality: [Float]] {
        let order = Modality.allCases.filter { picked[$0] != nil }
        let results = UnsafeMutablePointer<[Float]>.allocate(capacity: order.count)
        results.initialize(repeating: [], count: order.count)
        defer { results.deinitialize(count: order.count); results.deallocate() }
        let out = SendablePointer(results)
        parallelFor(order.count) { i in
            let m = order[i]
            out[i] = Resampler.resample(floats[m]!, from: picked[m]!.rate, to: rate)
        }
        return Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, results[$0]) })
    }
}
