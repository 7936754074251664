import TerminalUI

/// The Help screen: every binding of `KeyMap`, grouped by where it applies.
enum HelpPane {
    /// The help text lines: a heading per scope, then "keys  help" lines.
    static func lines() -> [(String, Style)] {
        var out: [(String, Style)] = []
        let scopes: [Pane?] = [nil] + Pane.allCases.map { Optional($0) }
        for scope in scopes {
            let bindings = KeyMap.bindings.filter { $0.pane == scope }
            guard !bindings.isEmpty else { continue }
            out.append((scope.map { "In \($0.rawValue)" } ?? "Everywhere", Style(fg: Theme.accent, .bold)))
            for k in bindings {
                out.append(("  " + fit(k.keys.map(\.description).joined(separator: " "), 16) + " " + k.help, .plain))
            }
        }
        return out
    }

    /// Rows of help text on screen.
    static func page(_ s: AppState) -> Int { max(1, ScreenLayout(s).body.height - 2) }

    /// The last scroll position: the final line at the bottom of the pane.
    static func maxScroll(_ s: AppState) -> Int { max(0, lines().count - page(s)) }

    static func render(_ s: AppState, _ area: Rect, into b: inout Buffer) {
        let inner = Block(title: "Help · keys (Esc or ? closes)", style: Style(fg: Theme.accent), titleStyle: Style(fg: Theme.accent, .bold)).render(area, into: &b)
        let all = lines()
        let top = min(s.helpScroll, max(0, all.count - inner.height))
        for (i, (text, style)) in all.dropFirst(top).prefix(inner.height).enumerated() {
            b.setString(x: inner.x, y: inner.y + i, text, style: style, maxWidth: inner.width)
        }
    }
}
