import Foundation
import TestSupport
import Support

// MARK: - Fixtures shared by the Signals tests

/// Deterministic test signals and the raw-file exchange with reference/signals_oracle.py.
enum SignalFixtures {
    /// A broadband mixture: drift, 3, 12, 30 and 55 Hz tones and seeded white noise `(n)`.
    static func mixture(count n: Int, rate: Double, seed: UInt64 = 7) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { i in
            let t = Double(i) / rate
            let noise = rng.uniform() - 0.5
            var v = 2.0 + 0.8 * sin(2 * .pi * 0.2 * t) + sin(2 * .pi * 3 * t)
            v += 0.5 * sin(2 * .pi * 12 * t) + 0.3 * sin(2 * .pi * 30 * t + 1)
            v += 0.2 * sin(2 * .pi * min(55, rate * 0.45) * t) + 0.3 * noise
            return Float(v)
        }
    }

    /// A pure tone of `frequency` Hz, amplitude 1 `(n)`.
    static func tone(_ frequency: Double, count n: Int, rate: Double) -> [Float] {
        (0..<n).map { Float(sin(2 * .pi * frequency * Double($0) / rate)) }
    }

    /// Writes little-endian float32 samples.
    static func write(_ x: [Float], to url: URL) throws {
        try x.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: url)
    }

    /// Reads little-endian float64 samples.
    static func readDoubles(_ url: URL) throws -> [Double] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }

    /// Reads little-endian float32 samples.
    static func readFloats(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Largest absolute difference, with NaN matching NaN only.
    static func maxDifference(_ a: [Float], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "lengths differ: \(a.count) vs \(b.count)")
        return zip(a, b).reduce(0) { acc, p in
            if p.0.isNaN && p.1.isNaN { return acc }
            if p.0.isNaN || p.1.isNaN { return .infinity }
            return max(acc, abs(Double(p.0) - p.1))
        }
    }

    /// Root-mean-square of the finite samples in `range`.
    static func rms(_ x: [Float], _ range: Range<Int>) -> Double {
        let v = range.map { Double(x[$0]) }.filter(\.isFinite)
        return (v.reduce(0) { $0 + $1 * $1 } / Double(max(1, v.count))).squareRoot()
    }

    /// Runs reference/signals_oracle.py once for every job (each the arguments of one mode, with
    /// `IN` and `OUT` standing for that job's input and output files) and returns the outputs.
    ///
    /// - Parameter jobs: `(input samples or nil, arguments)` per job.
    static func oracle(_ jobs: [(input: [Float]?, args: [String])]) throws -> [[Double]] {
        let dir = try TestSupport.temporaryFolder("signals-oracle")
        defer { try? FileManager.default.removeItem(at: dir) }
        var lines: [String] = []
        for (k, job) in jobs.enumerated() {
            let input = dir.appendingPathComponent("\(k).in.f32"), output = dir.appendingPathComponent("\(k).out.f64")
            if let x = job.input { try write(x, to: input) }
            lines.append(job.args.map { $0 == "IN" ? input.path : $0 == "OUT" ? output.path : $0 }.joined(separator: " "))
        }
        let jobFile = dir.appendingPathComponent("jobs.txt")
        try lines.joined(separator: "\n").write(to: jobFile, atomically: true, encoding: .utf8)
        _ = try Python.script("reference/signals_oracle.py", ["batch", jobFile.path])
        return try jobs.indices.map { try readDoubles(dir.appendingPathComponent("\($0).out.f64")) }
    }

    /// Skip reason when the scipy oracle cannot run (nil when it can, and always nil with
    /// `M2AE_REQUIRE_PYTHON=1`, so that the oracle call itself fails the test).
    static func scipyMissing() -> String? {
        guard !Python.required, let absent = Python.missing(["numpy", "scipy"]) else { return nil }
        return "skipped: Python lacks \(absent.joined(separator: ", "))"
    }
}
