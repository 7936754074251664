import Foundation
import TestSupport
@testable import Signals

// MARK: - Every paired real recording, with NeuroKit2's beats (reference/real_beats_oracle.py)

/// One paired recording of shared/data/real in the store's 10-s windows: the samples as read
/// (for the quality check, at their own rate), the same resampled to 125 Hz with `Resampler`
/// (for the detectors, as the store holds them) and NeuroKit2's beats on each 125-Hz window.
struct NeuroKitRecording: Sendable {
    var name: String
    var ecgRate: Double, ppgRate: Double
    /// ADC span for unwrapping (0: none known or needed).
    var ppgPeriod: Double
    var windowSeconds: Double
    /// Per window: the samples as read `(windowSeconds·rate)`.
    var ecgRaw: [[Float]], ppgRaw: [[Float]]
    /// Per window at 125 Hz `(windowSeconds·125)`; the PPG unwrapped where `ppgPeriod` > 0.
    var ecg: [[Float]], ppg: [[Float]]
    /// Per window: NeuroKit2's R-peaks and PPG peaks, 125-Hz indices inside the window.
    var nkECG: [[Int]], nkPPG: [[Int]]

    static let rate = 125.0

    /// Why these tests cannot run here, or nil when they can.
    static func skipReason() -> String? {
        guard TestSupport.realDataFolder != nil else { return "skipped: ../shared/data/real is absent" }
        guard !Python.required else { return nil }
        guard let absent = Python.missing(["numpy", "scipy", "wfdb", "neurokit2"]) else { return nil }
        return "skipped: Python lacks \(absent.joined(separator: ", "))"
    }

    /// Every recording, read once per test process. The oracle takes about a minute; set
    /// `M2AE_REAL_BEATS` to a folder it already wrote to reuse it.
    static func all() throws -> [NeuroKitRecording] { try loaded.get() }

    private static let loaded: Result<[NeuroKitRecording], any Error> = Result {
        if let dir = ProcessInfo.processInfo.environment["M2AE_REAL_BEATS"] {
            return try load(URL(fileURLWithPath: dir))
        }
        let dir = try TestSupport.temporaryFolder("real-beats")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try Python.script("reference/real_beats_oracle.py", [TestSupport.realDataFolder!.path, dir.path])
        return try load(dir)
    }

    private struct Meta: Decodable {
        var ecg_rate: Double, ppg_rate: Double, ppg_period: Double
        var window_seconds: Double, windows: Int
        var ecg_peaks: [[Int]], ppg_peaks: [[Int]]
    }

    private static func load(_ dir: URL) throws -> [NeuroKitRecording] {
        let names = try JSONDecoder().decode([String].self, from: Data(contentsOf: dir.appendingPathComponent("index.json")))
        return try names.map { name in
            let base = dir.appendingPathComponent(name.replacingOccurrences(of: "/", with: "_"))
            let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: base.appendingPathExtension("json")))
            let ecg = try SignalFixtures.readFloats(base.appendingPathExtension("ecg.f32"))
            let ppg = try SignalFixtures.readFloats(base.appendingPathExtension("ppg.f32"))
            let unwrapped = meta.ppg_period > 0 ? Unwrap.unwrap(ppg, period: meta.ppg_period) : ppg
            func windows(_ x: [Float], rate: Double) -> [[Float]] {
                (0..<meta.windows).map { k in
                    let from = Int((Double(k) * meta.window_seconds * rate).rounded())
                    let to = min(x.count, Int((Double(k + 1) * meta.window_seconds * rate).rounded()))
                    return Array(x[from..<to])
                }
            }
            return NeuroKitRecording(
                name: name, ecgRate: meta.ecg_rate, ppgRate: meta.ppg_rate, ppgPeriod: meta.ppg_period,
                windowSeconds: meta.window_seconds,
                ecgRaw: windows(ecg, rate: meta.ecg_rate), ppgRaw: windows(ppg, rate: meta.ppg_rate),
                ecg: windows(Resampler.resample(ecg, from: meta.ecg_rate, to: rate), rate: rate),
                ppg: windows(Resampler.resample(unwrapped, from: meta.ppg_rate, to: rate), rate: rate),
                nkECG: meta.ecg_peaks, nkPPG: meta.ppg_peaks)
        }
    }

    /// The NCKU lab recordings (50 Hz) rather than the single ICU or lab files.
    var isNCKU: Bool { name.hasPrefix("ncku/") }
}

/// How our beats compare with NeuroKit2's on one set of windows.
struct BeatAgreement {
    /// NeuroKit2's beats, and those with one of ours within the tolerance.
    var reference = 0, matched = 0
    /// Our beats, and those with no NeuroKit2 beat within the tolerance.
    var found = 0, extra = 0

    var matchedShare: Double { reference == 0 ? 1 : Double(matched) / Double(reference) }
    var extraShare: Double { found == 0 ? 0 : Double(extra) / Double(found) }

    /// Adds one window: `ours` and `reference` sample indices, `tolerance` in samples.
    mutating func add(ours: [Int], reference ref: [Int], tolerance: Int) {
        reference += ref.count
        found += ours.count
        matched += ref.filter { r in ours.contains { abs($0 - r) <= tolerance } }.count
        extra += ours.filter { o in !ref.contains { abs($0 - o) <= tolerance } }.count
    }

    static func + (a: BeatAgreement, b: BeatAgreement) -> BeatAgreement {
        BeatAgreement(reference: a.reference + b.reference, matched: a.matched + b.matched,
                      found: a.found + b.found, extra: a.extra + b.extra)
    }
}
