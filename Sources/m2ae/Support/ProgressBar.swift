import Foundation

/// A one-line progress bar on standard error: done/total, rate, time left and an optional
/// status text. Draws at most ten times a second, and only when stderr is a terminal
/// (in scripts and CI it prints a single summary line at the end instead).
final class ProgressBar {
    private let label: String
    private let total: Int
    private let unit: String
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private(set) var done = 0

    /// - Parameters:
    ///   - label: what is being done ("embed", "train").
    ///   - total: the number of units of work.
    ///   - unit: the unit's name, for the rate ("seg", "step").
    init(_ label: String, total: Int, unit: String = "it") {
        self.label = label; self.total = max(total, 1); self.unit = unit
    }

    /// Advances by `n` units and redraws if due.
    func advance(by n: Int = 1, status: String = "") {
        done = min(done + n, total)
        let now = Date()
        guard isTerminal, now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line(status: status)).utf8))
    }

    /// Ends the bar with a final line.
    func finish(status: String = "") {
        let text = isTerminal ? "\r\u{1B}[2K" + line(status: status) + "\n" : line(status: status) + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func line(status: String) -> String {
        let elapsed = Date().timeIntervalSince(start)
        let fraction = Double(done) / Double(total)
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        var s = "\(label) \(bar) \(done)/\(total) " + String(format: "%.1f %@/s", rate, unit)
        s += done < total ? " · \(Self.clock(left)) left" : " · \(Self.clock(elapsed))"
        if !status.isEmpty { s += " · " + status }
        return s
    }

    /// Formats seconds as m:ss or h:mm:ss.
    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                         : String(format: "%d:%02d", s / 60, s % 60)
    }
}
