import TerminalUI

/// Where everything goes on screen for a given state. Pure; shared by `render` and by
/// `update` (mouse clicks, paging), so a click always hits what was drawn.
///
/// Rows: tab bar (1), body, function bar or demo caption (1, or 2 for a caption that does
/// not fit one row), status line (1). The body is a dashboard (Records left; Traces and the
/// current detail pane right) or, when zoomed or showing help, one pane filling it.
public struct ScreenLayout: Sendable, Equatable {
    public var tabs: Rect
    public var body: Rect
    public var bar: Rect
    public var status: Rect
    /// The panes drawn and their areas (empty when the screen is too small).
    public var panes: [Pane: Rect]

    /// Rows a focused Traces pane needs: border (2), summary (1), two traces of 3 braille
    /// rows and their shared marker row (7).
    static let focusedTracesRows = 10
    /// Below this many rows the detail pane under a focused Traces pane is not drawn.
    static let smallestDetailRows = 4

    public init(_ s: AppState) {
        let full = Rect(width: s.width, height: s.height)
        let barRows = Self.captionLines(s.caption, width: s.width).count > 1 ? 2 : 1
        let rows = Layout.vertical([.length(1), .min(0), .length(barRows), .length(1)]).split(full)
        tabs = rows[0]; body = rows[1]; bar = rows[2]; status = rows[3]
        panes = [:]
        guard s.fitsScreen, !s.showHelp else { return }
        if s.zoomed {
            panes[s.focus] = body
            return
        }
        let cols = Layout.horizontal([.percentage(42), .min(0)]).split(body)
        let right = cols[1]
        panes[.records] = cols[0]
        // A focused Traces pane takes two thirds of the right column, and at least the rows
        // for 3-row traces; the detail pane keeps the rest when that is enough to read.
        var tracesRows = right.height / 2
        if s.focus == .traces {
            tracesRows = min(right.height, max(right.height * 2 / 3, Self.focusedTracesRows))
            if right.height - tracesRows < Self.smallestDetailRows { tracesRows = right.height }
        }
        panes[.traces] = Rect(x: right.x, y: right.y, width: right.width, height: tracesRows)
        if tracesRows < right.height {
            panes[s.focus.isDetail ? s.focus : s.detail] = Rect(x: right.x, y: right.y + tracesRows, width: right.width, height: right.height - tracesRows)
        }
    }

    /// The caption as it is drawn: one row when it fits, else two rows, the second ending in
    /// "…" when even two are too few. Empty without a caption.
    static func captionLines(_ caption: String?, width: Int) -> [String] {
        guard let caption, width > 2 else { return [] }
        let lines = wrap(caption, width: width - 2)
        if lines.count <= 2 { return lines }
        let rest = lines.dropFirst().joined(separator: " ")
        return [lines[0], fit(rest, width - 2)]
    }

    /// Tab labels from longest to shortest; the tab bar uses the first set that fits.
    private static let tabLabels: [[Pane: String]] = [
        [.records: "Records", .traces: "Traces", .reconstruction: "Recon", .neighbours: "Neighbours", .projection: "Projection", .predictions: "Predictions"],
        [.records: "Records", .traces: "Traces", .reconstruction: "Recon", .neighbours: "Neighb", .projection: "Proj", .predictions: "Predict"],
        [.records: "Rec", .traces: "Trc", .reconstruction: "Rcn", .neighbours: "Nbr", .projection: "Prj", .predictions: "Prd"],
    ]

    /// Columns kept free at the right of the tab bar for the "M2AE" mark.
    static let brandColumns = 6

    /// The tab labels with their columns in the tab bar: the longest labels that leave the
    /// brand room at `width` (tabs never overlap each other or the brand).
    public static func tabStops(width: Int) -> [(pane: Pane, x: Int, width: Int, label: String)] {
        let labels = tabLabels.first { set in
            1 + Pane.allCases.reduce(0) { $0 + set[$1]!.count + 3 } + brandColumns <= width
        } ?? tabLabels[tabLabels.count - 1]
        var x = 1
        return Pane.allCases.map { pane in
            let label = labels[pane]!
            let w = label.count + 2
            defer { x += w + 1 }
            return (pane, x, w, label)
        }
    }

    /// The first row of a pane's table (below the border and header line).
    public static func tableTop(_ area: Rect) -> Int { area.y + 2 }
}
