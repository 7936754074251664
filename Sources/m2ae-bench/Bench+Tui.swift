import ArgumentParser
import Foundation
import TerminalUI
import Workbench

extension M2AEBench {
    /// `m2ae-bench tui`: time to first frame and per-key latency of the workbench.
    struct Tui: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tui",
            abstract: "Workbench: time to first full frame and p99 of update + render + diff per key.",
            discussion: "Goals: first frame ≤ 300 ms on the sample store and ≤ 1 s (≤ 300 MB) on 100,000 segments; p99 per key ≤ 8 ms."
        )

        @Option(help: "Repetitions of the first-frame measurement (the median is reported).")
        var repeats = 5

        @Option(help: "Keys replayed for the per-key latency.")
        var keys = 1000

        @Option(help: "Segments of the large synthetic cohort.")
        var large = 100_000

        @Option(name: .customLong("store"), help: "A store to measure as well (repeatable), e.g. sample-data/cohort.h5.")
        var stores: [String] = []

        @Option(help: "A checkpoint embedded in the --store stores: also times select → reconstruction and select → every model pane.")
        var model: String?

        @Option(help: "Terminal size as WIDTHxHEIGHT.")
        var size = "80x24"

        func validate() throws {
            guard repeats >= 1, keys >= 10, large >= 1 else { throw ValidationError("--repeats ≥ 1, --keys ≥ 10, --large ≥ 1") }
            guard parsedSize != nil else { throw ValidationError("--size must look like 80x24") }
        }

        var parsedSize: (Int, Int)? {
            let p = size.split(separator: "x").compactMap { Int($0) }
            return p.count == 2 && p[0] > 0 && p[1] > 0 ? (p[0], p[1]) : nil
        }

        func run() throws {
            let (w, h) = parsedSize!
            var rows: [(String, String, String, String)] = []
            var cases: [(String, () throws -> any WorkbenchServices)] = stores.map { path in
                (URL(fileURLWithPath: path).lastPathComponent, {
                    try StoreServices(url: URL(fileURLWithPath: path), checkpoint: model.map { URL(fileURLWithPath: $0) })
                })
            }
            cases += [
                ("synthetic 1,000 seg", { SyntheticServices(subjects: 100, segmentsPerSubject: 10) }),
                ("synthetic \(large) seg", { SyntheticServices(subjects: (large + 9) / 10, segmentsPerSubject: 10) }),
            ]
            for (name, open) in cases {
                let rssBefore = Self.residentMB()
                var services: (any WorkbenchServices)!
                let times = try BenchTiming.measure(repeats: repeats, warmUp: false) {
                    do { services = try open() } catch { throw BenchError("\(error)") }
                    _ = Self.firstFrame(services, width: w, height: h)
                }.map { $0 * 1e3 }
                let rss = Self.residentMB()
                rows.append((name, "first full frame", String(format: "%.1f ms", BenchTiming.upperMedian(times)),
                             String(format: "RSS %.0f MB (+%.0f)", rss, rss - rssBefore)))
                let runs = (0..<repeats).map { _ in Self.keyLatencies(services, width: w, height: h, count: keys) }
                rows.append((name, "update+render+diff per key", String(format: "p50 %.2f ms", BenchTiming.upperMedian(runs.map(\.p50))),
                             String(format: "p99 %.2f ms", BenchTiming.upperMedian(runs.map(\.p99)))))
                if let live = services as? StoreServices, live.runsModel {
                    let selections = min(keys, 200)
                    let recon = Self.selectionLatencies(services, width: w, height: h, count: selections, reconstructionOnly: true)
                    rows.append((name, "select → reconstruction drawn", String(format: "p50 %.1f ms", recon.p50), String(format: "p99 %.1f ms (%d selections)", recon.p99, selections)))
                    let all = Self.selectionLatencies(services, width: w, height: h, count: selections, reconstructionOnly: false)
                    rows.append((name, "select → every model pane drawn", String(format: "p50 %.1f ms", all.p50), String(format: "p99 %.1f ms (%d selections)", all.p99, selections)))
                } else if model != nil, services is StoreServices {
                    rows.append((name, "select → reconstruction", "not measured", services.notice ?? "the model cannot run on this store"))
                }
            }
            print("m2ae-bench tui  (\(w)×\(h); medians of \(repeats) runs; \(keys) keys replayed per run)")
            print("| data | measure | value | also |")
            print("|---|---|---|---|")
            for r in rows { print("| \(r.0) | \(r.1) | \(r.2) | \(r.3) |") }
        }

        /// Open → records → first segment's trace → render: the frame a user first sees
        /// (Records and Traces filled; the model panes fill in from the background later).
        static func firstFrame(_ services: any WorkbenchServices, width: Int, height: Int) -> Buffer {
            var state = AppState(width: width, height: height, storeName: services.storeName, modelName: services.modelName)
            let loaded = runEffect(.loadRecords, services)!
            for effect in update(&state, loaded) {
                if case .loadTrace = effect, let msg = runEffect(effect, services) { _ = update(&state, msg) }
            }
            return render(state)
        }

        /// Replays a fixed mix of navigation keys and times update + render + diff of each;
        /// the background work a key asks for runs after the timed region (as in the runtime).
        static func keyLatencies(_ services: any WorkbenchServices, width: Int, height: Int, count: Int) -> (p50: Double, p99: Double) {
            var state = HeadlessSession(services: services, width: width, height: height).state
            var previous = render(state)
            let mix: [Key] = [.down, .down, .right, .down, .tab, .left, .char("+"), .tab, .down, .char("m"), .tab, .up,
                              .tab, .char("-"), .tab, .up, .pageDown, .char("z"), .char("z"), .backTab]
            var times: [Double] = []
            times.reserveCapacity(count)
            for i in 0..<count {
                let t0 = BenchTiming.wallSeconds()
                let effects = update(&state, .key(mix[i % mix.count]))
                let frame = render(state)
                _ = frame.diff(from: previous)
                times.append((BenchTiming.wallSeconds() - t0) * 1e3)
                previous = frame
                // Deliver the background results outside the timed region, as the runtime would.
                for e in effects { if let m = runEffect(e, services) { _ = update(&state, m) } }
            }
            return BenchTiming.p50p99(times)
        }

        /// Moves the selection down the records list `count` times and times, per move, the key,
        /// the background work it starts (the trace and the reconstruction, or every effect) run
        /// inline, their results applied, and the frame rendered: what a user waits for between
        /// pressing ↓ and seeing the reconstruction (or every model pane) of the new segment.
        static func selectionLatencies(_ services: any WorkbenchServices, width: Int, height: Int, count: Int,
                                       reconstructionOnly: Bool) -> (p50: Double, p99: Double) {
            var state = HeadlessSession(services: services, width: width, height: height).state
            var times: [Double] = []
            for i in 0..<count {
                // Wrap to the top so the walk never stops at the last row.
                let key: Key = i > 0 && i % max(1, state.visible.count - 1) == 0 ? .home : .down
                let t0 = BenchTiming.wallSeconds()
                var queue = update(&state, .key(key))
                var deferred: [Effect] = []
                while !queue.isEmpty {
                    let e = queue.removeFirst()
                    let wanted: Bool
                    switch e {
                    case .loadTrace, .reconstruct: wanted = true
                    default: wanted = !reconstructionOnly
                    }
                    guard wanted else { deferred.append(e); continue }
                    if let m = runEffect(e, services) { queue += update(&state, m) }
                }
                _ = render(state)
                times.append((BenchTiming.wallSeconds() - t0) * 1e3)
                for e in deferred { if let m = runEffect(e, services) { _ = update(&state, m) } }
            }
            return BenchTiming.p50p99(times)
        }

        /// Resident set size in MB from /proc/self/statm (0 where unavailable).
        static func residentMB() -> Double {
            guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
            let pages = text.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
            return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
        }
    }
}
