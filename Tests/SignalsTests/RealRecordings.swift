import Foundation
import TestSupport
import Signals

// MARK: - Loading the shared real recordings for the detector tests

/// One recording's channels, read through the wfdb Python package or parsed from CSV.
struct RealRecording: Sendable {
    var rate: Double
    var channels: [String: [Float]]
    var wrapPeriods: [String: Double]

    /// Why the real-data tests cannot run, or nil when they can.
    static func skipReason(needsWFDB: Bool) -> String? {
        guard TestSupport.realDataFolder != nil else { return "skipped: ../shared/data/real is absent" }
        guard needsWFDB else { return nil }
        guard let absent = Python.missing(["numpy", "wfdb"]) else { return nil }
        if Python.required { fatalError("M2AE_REQUIRE_PYTHON=1 but Python lacks \(absent)") }
        return "skipped: Python lacks \(absent.joined(separator: ", "))"
    }

    /// The WFDB records the tests use, read once per test process (one Python start for both).
    private static let wfdbRecords: Result<[String: RealRecording], any Error> = Result {
        let names = ["a103l", "v102s"]
        let dir = try TestSupport.temporaryFolder("signals-wfdb")
        defer { try? FileManager.default.removeItem(at: dir) }
        let jobs = names.map { name in
            "wfdb \(TestSupport.realDataFolder!.appendingPathComponent("wfdb/\(name)").path) \(dir.appendingPathComponent(name).path)"
        }
        let jobFile = dir.appendingPathComponent("jobs.txt")
        try jobs.joined(separator: "\n").write(to: jobFile, atomically: true, encoding: .utf8)
        _ = try Python.script("reference/signals_oracle.py", ["batch", jobFile.path])
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try load(dir.appendingPathComponent($0))) })
    }

    /// The NeuroKit record, parsed once per test process.
    private static let neurokitRecord: Result<RealRecording, any Error> = Result { try parseNeurokit() }

    /// A WFDB record under data/real/wfdb ("a103l" or "v102s"), dumped by reference/signals_oracle.py.
    static func wfdb(_ name: String) throws -> RealRecording {
        guard let rec = try wfdbRecords.get()[name] else { throw MissingRecord(name: name) }
        return rec
    }

    /// Reads one record dumped by the oracle's `wfdb` mode.
    private static func load(_ dir: URL) throws -> RealRecording {
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("meta.json"))) as! [String: Any]
        let names = meta["sig_name"] as! [String]
        let periods = meta["wrap_period"] as! [Double]
        var channels: [String: [Float]] = [:], wraps: [String: Double] = [:]
        for (i, name) in names.enumerated() {
            channels[name] = try SignalFixtures.readFloats(dir.appendingPathComponent("\(i).f32"))
            wraps[name] = periods[i]
        }
        return RealRecording(rate: meta["fs"] as! Double, channels: channels, wrapPeriods: wraps)
    }

    /// The NeuroKit2 resting example (columns ECG, PPG, RSP at 100 Hz).
    static func neurokit() throws -> RealRecording { try neurokitRecord.get() }

    private static func parseNeurokit() throws -> RealRecording {
        let url = TestSupport.realDataFolder!.appendingPathComponent("csv/neurokit_bio_resting_5min_100hz.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        var columns = [[Float]](repeating: [], count: header.count)
        for line in lines.dropFirst() {
            for (i, field) in line.split(separator: ",", omittingEmptySubsequences: false).enumerated() where i < header.count {
                columns[i].append(Float(field) ?? .nan)
            }
        }
        return RealRecording(rate: 100, channels: Dictionary(uniqueKeysWithValues: zip(header, columns)), wrapPeriods: [:])
    }

    /// A channel, unwrapped with its ADC span when it wraps.
    func channel(_ name: String, unwrapped: Bool = false) -> [Float] {
        let x = channels[name]!
        guard unwrapped, let period = wrapPeriods[name] else { return x }
        return Unwrap.unwrap(x, period: period)
    }
}

/// A record the tests asked for that the loader does not read.
struct MissingRecord: Error, CustomStringConvertible {
    var name: String
    var description: String { "no real record named \(name) is loaded by RealRecording" }
}
