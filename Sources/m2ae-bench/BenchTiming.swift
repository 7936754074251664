import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The timing toolkit shared by the `m2ae-bench` commands: clocks, the repeat-and-time loop,
/// medians and aligned table cells. Every bench command measures through these so that all
/// tables use the same clocks and the same statistics.
enum BenchTiming {
    // MARK: - The machine

    /// Lines every engine table starts with: the CPU, its features, the BLAS kernels in use,
    /// how the engine's loops were compiled, and the load average (`uptime`'s three numbers),
    /// since these tables are measured on shared machines.
    static var machineLines: [String] {
        var load = [Double](repeating: 0, count: 3)
        let got = getloadavg(&load, 3)
        let line = got == 3 ? String(format: "load average: %.2f, %.2f, %.2f (1, 5, 15 min)", load[0], load[1], load[2]) : "load average: unknown"
        return BLASKernels.report + [line]
    }

    // MARK: - Clocks

    /// Which clock a measurement reads.
    enum Clock: Sendable {
        /// Elapsed monotonic time.
        case wall
        /// CPU time of the calling thread only (Python's `time.thread_time`).
        case threadCPU
        /// CPU time of the whole process, all threads (Python's `time.process_time`).
        case processCPU

        /// The current reading of this clock, in seconds.
        func now() -> Double {
            switch self {
            case .wall: BenchTiming.wallSeconds()
            case .threadCPU: BenchTiming.threadCPUSeconds()
            case .processCPU: BenchTiming.processCPUSeconds()
            }
        }
    }

    /// Monotonic wall-clock seconds (`CLOCK_MONOTONIC`).
    static func wallSeconds() -> Double { seconds(CLOCK_MONOTONIC) }

    /// CPU seconds used by the calling thread (`CLOCK_THREAD_CPUTIME_ID`).
    static func threadCPUSeconds() -> Double { seconds(CLOCK_THREAD_CPUTIME_ID) }

    /// CPU seconds used by this process, all threads, user + system (`CLOCK_PROCESS_CPUTIME_ID`).
    static func processCPUSeconds() -> Double { seconds(CLOCK_PROCESS_CPUTIME_ID) }

    private static func seconds(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    // MARK: - Repeat and time

    /// Seconds on `clock` of one run of `body`.
    static func time(_ clock: Clock = .wall, _ body: () throws -> Void) rethrows -> Double {
        let start = clock.now()
        try body()
        return clock.now() - start
    }

    /// Seconds on `clock` of each of `repeats` runs of `body` (in run order), after one untimed
    /// warm-up run when `warmUp` is true.
    static func measure(repeats: Int, warmUp: Bool = true, clock: Clock = .wall,
                        _ body: () throws -> Void) rethrows -> [Double] {
        if warmUp { try body() }
        return try (0..<repeats).map { _ in try time(clock, body) }
    }

    // MARK: - Statistics

    /// The median of `xs` (the mean of the two middle values for an even count). `xs` must not be empty.
    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The upper median of `xs`: element `count / 2` once sorted (the median for an odd
    /// count, the higher middle value for an even one). `xs` must not be empty.
    static func upperMedian(_ xs: [Double]) -> Double {
        xs.sorted()[xs.count / 2]
    }

    /// The 50th and 99th percentiles of `xs` (elements `count / 2` and `⌊0.99·count⌋` once
    /// sorted, the last for small counts). `xs` must not be empty.
    static func p50p99(_ xs: [Double]) -> (p50: Double, p99: Double) {
        let s = xs.sorted()
        return (s[s.count / 2], s[min(s.count - 1, Int(Double(s.count) * 0.99))])
    }

    // MARK: - Table cells

    /// `s` padded with spaces to `width` characters: left-aligned, or right-aligned when
    /// `right` is true; longer strings are returned unchanged.
    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }

    /// A table row of `cells` joined by one space: a negative width left-aligns its cell in
    /// `-width` characters, a positive width right-aligns it.
    static func row(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { cell, w in pad(cell, abs(w), right: w >= 0) }.joined(separator: " ")
    }
}
