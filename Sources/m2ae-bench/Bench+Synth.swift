import ArgumentParser
import Foundation
import Store
import Synth

extension M2AEBench {
    /// `m2ae-bench synth`: synthetic segments per second on one core, against the target.
    ///
    /// Rates are from the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so a busy machine
    /// does not make the generator look slower than it is; wall-clock rates are shown beside.
    struct SynthBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Synthetic cohort generation speed on one core (median of repeats) vs the 2,000 segments/s target."
        )

        @Option(help: "Subjects per repeat.")
        var subjects: Int = 250
        @Option(help: "Segments per subject.")
        var segments: Int = 8
        @Option(help: "Timed repeats (after one warm-up run); the table shows their median.")
        var repeats: Int = 5
        @Option(help: "Share of segments with a defect, as for `m2ae synth`.")
        var defectRate: Double = 0.1

        /// The requirement, segments per second on one core.
        static let target = 2000.0

        func validate() throws {
            guard subjects >= 1, segments >= 1, repeats >= 1 else { throw ValidationError("--subjects, --segments and --repeats must be ≥ 1") }
        }

        func run() throws {
            let generator = CohortGenerator(seed: 1, config: SynthConfig(defectRate: defectRate))
            let total = subjects * segments
            var rows: [(String, [(cpu: Double, wall: Double)], Int)] = []
            // Stage 1: subject draws alone.
            rows.append(("subjects drawn", measure { for i in 0..<subjects { sink(generator.subject(i).physiology.age) } }, subjects))
            // Stage 2: whole segments (ECG, PPG, defects, quantisation, quality check), one thread.
            let cohort = (0..<subjects).map { generator.subject($0) }
            rows.append(("segments generated", measure {
                for s in cohort { for j in 0..<segments { sink(Double(generator.segment(s, index: j).segment.ecg[0])) } }
            }, total))
            print("m2ae-bench synth: \(subjects) subjects × \(segments) segments, \(repeats) repeats, one thread")
            print(BenchTiming.pad("stage", 20) + BenchTiming.pad("cpu med/s", 12, right: true) + BenchTiming.pad("cpu min/s", 12, right: true)
                  + BenchTiming.pad("wall med/s", 12, right: true) + BenchTiming.pad("target/s", 10, right: true) + BenchTiming.pad("× target", 10, right: true))
            for (name, times, units) in rows {
                let cpu = times.map { Double(units) / $0.cpu }.sorted(), wall = times.map { Double(units) / $0.wall }
                let median = BenchTiming.upperMedian(cpu)
                let isSegments = name.hasPrefix("segments")
                print(BenchTiming.pad(name, 20) + BenchTiming.pad(String(format: "%.0f", median), 12, right: true)
                      + BenchTiming.pad(String(format: "%.0f", cpu.first!), 12, right: true)
                      + BenchTiming.pad(String(format: "%.0f", BenchTiming.upperMedian(wall)), 12, right: true)
                      + BenchTiming.pad(isSegments ? String(format: "%.0f", Self.target) : "—", 10, right: true)
                      + BenchTiming.pad(isSegments ? String(format: "%.2f", median / Self.target) : "—", 10, right: true))
            }
            print(String(format: "checksum %.3f", checksum))
        }

        // MARK: - Internal

        /// Thread CPU seconds and wall seconds per run of `body`, for each timed repeat (one
        /// untimed warm-up first).
        private func measure(_ body: () -> Void) -> [(cpu: Double, wall: Double)] {
            body()
            return (0..<repeats).map { _ in
                let c = BenchTiming.threadCPUSeconds(), t = BenchTiming.wallSeconds()
                body()
                return (BenchTiming.threadCPUSeconds() - c, BenchTiming.wallSeconds() - t)
            }
        }
    }
}

/// Keeps benchmark results alive so the optimiser cannot drop the work.
nonisolated(unsafe) private var checksum = 0.0
private func sink(_ x: Double) { if x.isFinite { checksum += x } }
