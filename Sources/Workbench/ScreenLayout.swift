import TerminalUI

/// Where everything goes on screen for a given state. Pure; shared by `render` and by
/// `update` (mouse clicks), so a click always hits what was drawn.
///
/// Rows: tab bar (1), body, function bar or demo caption (1), status line (1). The body is a
/// dashboard (Records left; Traces and the current detail pane right) or, when zoomed or
/// showing help, one pane filling it.
public struct ScreenLayout: Sendable, Equatable {
    public var tabs: Rect
    public var body: Rect
    public var bar: Rect
    public var status: Rect
    /// The panes drawn and their areas (empty when the screen is too small).
    public var panes: [Pane: Rect]

    public init(_ s: AppState) {
        let full = Rect(width: s.width, height: s.height)
        let rows = Layout.vertical([.length(1), .min(0), .length(1), .length(1)]).split(full)
        tabs = rows[0]; body = rows[1]; bar = rows[2]; status = rows[3]
        panes = [:]
        guard s.fitsScreen, !s.showHelp else { return }
        if s.zoomed {
            panes[s.focus] = body
            return
        }
        let cols = Layout.horizontal([.percentage(42), .min(0)]).split(body)
        let right = Layout.vertical([.percentage(50), .min(0)]).split(cols[1])
        panes[.records] = cols[0]
        panes[.traces] = right[0]
        panes[s.focus.isDetail ? s.focus : s.detail] = right[1]
    }

    /// The tab labels with their columns in the tab bar.
    public static func tabStops(width: Int) -> [(pane: Pane, x: Int, width: Int)] {
        var x = 1
        return Pane.allCases.map { pane in
            let w = pane.tab.count + 2
            defer { x += w + 1 }
            return (pane, x, w)
        }
    }

    /// The first row of a pane's table (below the border and header line).
    public static func tableTop(_ area: Rect) -> Int { area.y + 2 }
}
