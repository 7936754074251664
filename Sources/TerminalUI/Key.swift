// MARK: - Keys and events

/// A key the user pressed, independent of the terminal library.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (space included).
    case char(Character)
    /// Ctrl plus a letter, stored in lower case (`.ctrl("l")` is Ctrl-L).
    case ctrl(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace
    /// Function key F1…F12.
    case function(Int)

    private static let named: [(Key, String)] = [
        (.up, "Up"), (.down, "Down"), (.left, "Left"), (.right, "Right"), (.home, "Home"), (.end, "End"),
        (.pageUp, "PgUp"), (.pageDown, "PgDn"), (.enter, "Enter"), (.escape, "Esc"), (.tab, "Tab"),
        (.backTab, "S-Tab"), (.backspace, "Backspace"), (.char(" "), "Space"),
    ]

    /// The key's name as shown in help and written in key scripts: `a`, `Space`, `Ctrl-L`, `F1`, `Up`.
    public var description: String {
        if let n = Self.named.first(where: { $0.0 == self }) { return n.1 }
        switch self {
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .function(let n): return "F\(n)"
        default: return "?"
        }
    }

    /// Parses a key name as written by `description` (case-sensitive for single characters).
    public init?(name: String) {
        if let n = Self.named.first(where: { $0.1.lowercased() == name.lowercased() }), name.count > 1 { self = n.0; return }
        if name.count == 1 { self = .char(name.first!); return }
        let lower = name.lowercased()
        if lower.hasPrefix("ctrl-"), name.count == 6 { self = .ctrl(Character(lower.suffix(1).lowercased())); return }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { self = .function(n); return }
        return nil
    }
}

/// What a mouse report says happened.
public enum MouseAction: Sendable, Hashable {
    case press, scrollUp, scrollDown
}

/// An input event from the terminal.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
    /// A mouse report at screen cell (x, y).
    case mouse(x: Int, y: Int, MouseAction)
}
