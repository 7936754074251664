import Foundation
import TerminalUI

// MARK: - Demo scripts

/// A replayable demo: keys with timing and captions.
///
/// Text format, one command per line (`#` starts a comment):
/// ```
/// pace 150              # pause after each key from now on (ms; default 150)
/// caption Records pane  # show a caption in the function-bar row ("caption" alone clears it)
/// key Down Down Tab     # press keys by name (Key.description: a, Space, Ctrl-L, F1, Up, S-Tab…)
/// type AF-01            # type the characters literally
/// wait 800              # pause (ms)
/// ```
public struct KeyScript: Sendable, Equatable {
    /// One timed step: wait `delay` ms, then deliver `message`.
    public enum Step: Sendable, Equatable {
        case key(Key)
        case caption(String?)
    }

    /// (delay in ms before the step, step), in order.
    public var steps: [(delay: Int, step: Step)]

    public init(steps: [(delay: Int, step: Step)]) { self.steps = steps }

    public static func == (a: KeyScript, b: KeyScript) -> Bool {
        a.steps.count == b.steps.count && zip(a.steps, b.steps).allSatisfy { $0.delay == $1.delay && $0.step == $1.step }
    }

    /// Total running time in ms.
    public var duration: Int { steps.reduce(0) { $0 + $1.delay } }

    /// The longest `wait` or `pace`, in ms (an hour): a script's total delay then stays far
    /// from overflowing whatever its length.
    public static let maxDelay = 3_600_000

    /// Parses script text; `source` names the file in errors ("tour.keys:3: unknown key 'Foo'").
    public init(parsing text: String, source: String) throws {
        var steps: [(Int, Step)] = []
        var pace = 150, pending = 0
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let arg = parts.count > 1 ? parts[1] : ""
            func fail(_ why: String) -> WorkbenchError { WorkbenchError("\(source):\(n + 1): \(why)") }
            switch parts[0] {
            case "pace", "wait":
                guard let ms = Int(arg), ms >= 0, ms <= Self.maxDelay else {
                    throw fail("'\(parts[0])' needs milliseconds from 0 to \(Self.maxDelay), got '\(arg)'")
                }
                if parts[0] == "pace" { pace = ms } else { pending += ms }
            case "caption":
                steps.append((pending, .caption(arg.isEmpty ? nil : arg))); pending = 0
            case "key":
                let names = arg.split(separator: " ").map(String.init)
                guard !names.isEmpty else { throw fail("'key' needs at least one key name") }
                for name in names {
                    guard let key = Key(name: name) else { throw fail("unknown key '\(name)'") }
                    steps.append((pending, .key(key))); pending = pace
                }
            case "type":
                for ch in arg { steps.append((pending, .key(.char(ch)))); pending = pace }
            default:
                throw fail("unknown command '\(parts[0])' (expected key, type, wait, pace or caption)")
            }
        }
        self.steps = steps
    }

    /// Loads and parses a script file.
    public init(contentsOf url: URL) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw WorkbenchError("\(url.path): cannot read the key script")
        }
        try self.init(parsing: text, source: url.lastPathComponent)
    }

    /// The script as text in the format `init(parsing:)` reads (round-trips).
    public var text: String {
        var out = "# m2ae key script\npace 0\n"
        for (delay, step) in steps {
            if delay > 0 { out += "wait \(delay)\n" }
            switch step {
            case .key(let k): out += "key \(k.description)\n"
            case .caption(let c): out += "caption \(c ?? "")\n"
            }
        }
        return out
    }
}
