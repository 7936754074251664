import ArgumentParser
import Foundation
import Signals

extension M2AEBench {
    /// `m2ae-bench signals`: band-pass and resampling against scipy, and the detectors' cost.
    struct Signals: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "signals",
            abstract: "Signal processing against scipy (medians of repeated runs).",
            discussion: """
            Band-pass (Filters.bandpass vs scipy butter + sosfiltfilt, design included) and \
            resampling (Resampler.resample vs scipy resample_poly) on the same float32 input, \
            timed inside each process as thread CPU time (Python start excluded; CPU time keeps \
            the comparison fair on a shared, loaded machine); then the detectors, quality check \
            and hand-crafted features per 10-s segment, which have no installed peer (Swift only).
            """
        )

        @Option(help: "Timed runs per case (the median is reported).")
        var repeats = 15

        @Option(help: "The Python interpreter with numpy and scipy installed.")
        var python = "python3"

        @Option(help: "The oracle script that times scipy.")
        var script = "reference/signals_oracle.py"

        func validate() throws {
            if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        }

        func run() throws {
            let cases = Self.cases()
            let peer = try timeScipy(cases)
            print("m2ae-bench signals: medians of \(repeats) runs (thread CPU ms); speed-up = scipy / m2ae")
            let widths = [-34, 8, 10, 10, 9]
            print(BenchTiming.row(["operation", "samples", "scipy", "m2ae", "speed-up"], widths))
            for (k, c) in cases.enumerated() {
                let t = BenchTiming.upperMedian(BenchTiming.measure(repeats: repeats, clock: .threadCPU) { c.run() })
                print(BenchTiming.row([c.label, String(c.input.count), Self.ms(peer[k]), Self.ms(t),
                                String(format: "%.1f×", peer[k] / t)], widths))
            }
            let beats = Self.segment()
            let swiftOnly: [(String, () -> Void)] = [
                ("R-peaks, 10 s @ 125 Hz", { _ = RPeakDetector.detect(beats.ecg, rate: 125) }),
                ("PPG peaks + feet, 10 s @ 125 Hz", { _ = PulseDetector.detect(beats.ppg, rate: 125) }),
                ("quality check ECG, 10 s @ 125 Hz", { _ = QualityCheck.assess(beats.ecg, rate: 125, modality: .ecg) }),
                ("prepare ECG + PPG, 10 s @ 125 Hz", {
                    _ = Preprocessing.prepare(beats.ecg, modality: .ecg)
                    _ = Preprocessing.prepare(beats.ppg, modality: .ppg)
                }),
                ("hand-crafted features, 10 s", { _ = HandcraftedFeatures.compute(ecg: beats.ecg, ppg: beats.ppg, rate: 125) }),
            ]
            for (label, body) in swiftOnly {
                let t = BenchTiming.upperMedian(BenchTiming.measure(repeats: repeats, clock: .threadCPU, body))
                print(BenchTiming.row([label, "1250", "—", Self.ms(t), "—"], widths))
            }
        }

        // MARK: - Cases

        /// One timed operation with the oracle job line that times scipy on the same input.
        struct Case {
            var label: String
            var input: [Float]
            var job: (String) -> String
            var run: () -> Void
        }

        static func cases() -> [Case] {
            let seg125 = mixture(count: 1250, rate: 125)
            let long250 = mixture(count: 75_000, rate: 250)
            let long360 = mixture(count: 108_000, rate: 360)
            let seg128 = mixture(count: 1280, rate: 128)
            return [
                Case(label: "band-pass 0.5–40 Hz, 10 s @ 125 Hz", input: seg125,
                     job: { "bandpass \($0) 125 0.5 40 2" },
                     run: { _ = Filters.bandpass(seg125, rate: 125, low: 0.5, high: 40) }),
                Case(label: "band-pass 0.5–40 Hz, 300 s @ 250 Hz", input: long250,
                     job: { "bandpass \($0) 250 0.5 40 2" },
                     run: { _ = Filters.bandpass(long250, rate: 250, low: 0.5, high: 40) }),
                Case(label: "resample 250→125, 300 s", input: long250,
                     job: { "resample \($0) 1 2" },
                     run: { _ = Resampler.resample(long250, from: 250, to: 125) }),
                Case(label: "resample 360→125, 300 s", input: long360,
                     job: { "resample \($0) 25 72" },
                     run: { _ = Resampler.resample(long360, from: 360, to: 125) }),
                Case(label: "resample 128→125, 10 s", input: seg128,
                     job: { "resample \($0) 125 128" },
                     run: { _ = Resampler.resample(seg128, from: 128, to: 125) }),
            ]
        }

        /// A broadband test signal: drift, 3/12/30 Hz tones and seeded noise `(count)`.
        static func mixture(count: Int, rate: Double) -> [Float] {
            var state: UInt64 = 7
            return (0..<count).map { i in
                let t = Double(i) / rate
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = Double(state >> 11) / Double(1 << 53) - 0.5
                return Float(2 + 0.8 * sin(2 * .pi * 0.2 * t) + sin(2 * .pi * 3 * t)
                             + 0.5 * sin(2 * .pi * 12 * t) + 0.3 * sin(2 * .pi * 30 * t) + 0.3 * noise)
            }
        }

        /// A 10-s paired segment at 125 Hz with 75-bpm beats (Gaussian QRS/T, cosine pulses).
        static func segment() -> (ecg: [Float], ppg: [Float]) {
            let rate = 125.0
            var ecg = [Float](repeating: 0, count: 1250), ppg = ecg
            for i in 0..<1250 {
                let t = Double(i) / rate
                var e = 0.0, p = 0.0
                for r in stride(from: 0.5, to: 10, by: 0.8) {
                    let q = (t - r) / 0.012, w = (t - r - 0.3) / 0.05
                    e += exp(-q * q / 2) + 0.3 * exp(-w * w / 2)
                    let phase = (t - r - 0.25) / 0.6
                    if phase >= 0 && phase < 1 { p += 0.5 - 0.5 * cos(2 * .pi * pow(phase, 0.6)) }
                }
                ecg[i] = Float(e); ppg[i] = Float(p)
            }
            return (ecg, ppg)
        }

        // MARK: - Peer

        /// The medians of scipy per case, from the oracle script.
        private func timeScipy(_ cases: [Case]) throws -> [Double] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-bench-signals-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            var lines: [String] = []
            for (k, c) in cases.enumerated() {
                let url = dir.appendingPathComponent("\(k).f32")
                try c.input.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: url)
                lines.append(c.job(url.path))
            }
            let jobs = dir.appendingPathComponent("jobs.txt")
            try lines.joined(separator: "\n").write(to: jobs, atomically: true, encoding: .utf8)
            let (data, status) = try M2AEBench.runPython([script, "time", jobs.path, String(repeats)], python: python)
            guard status == 0,
                  let times = try? JSONDecoder().decode([Double].self, from: data), times.count == cases.count else {
                throw BenchError("\(script): timing scipy failed (exit \(status)); are numpy and scipy installed for \(python)?")
            }
            return times
        }

        // MARK: - Table

        /// Milliseconds with three decimals.
        static func ms(_ seconds: Double) -> String { String(format: "%.3f", seconds * 1e3) }
    }
}
