import TerminalUI

// MARK: - Key bindings

/// One key binding: the keys, what they do, where, and the help text. The help screen and
/// the function bar are generated from `KeyMap.bindings`; there is no second table.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var command: Command
    /// Long name in VisiData style ("go-down").
    public var name: String
    public var help: String
    /// The pane where the binding applies; nil for every pane.
    public var pane: Pane?
    /// Label in the bottom function bar, nil when the binding is not shown there.
    public var bar: String?

    public init(_ keys: [Key], _ command: Command, _ name: String, _ help: String, pane: Pane? = nil, bar: String? = nil) {
        self.keys = keys; self.command = command; self.name = name; self.help = help; self.pane = pane; self.bar = bar
    }
}

/// The workbench's single key table.
public enum KeyMap {
    /// Every binding: pane-specific ones first so they win over global ones with the same key.
    public static let bindings: [KeyBinding] = [
        // Reconstruction
        KeyBinding([.char("r")], .reconMode, "recon-mode", "cycle PPG → ECG, ECG → PPG, masked ECG, masked PPG", pane: .reconstruction, bar: "Mode"),
        KeyBinding([.char("[")], .maskLess, "mask-less", "hide 10 % fewer patches (masked modes)", pane: .reconstruction, bar: "Fewer"),
        KeyBinding([.char("]")], .maskMore, "mask-more", "hide 10 % more patches (masked modes)", pane: .reconstruction, bar: "More"),
        KeyBinding([.char(",")], .patchLeft, "patch-left", "patch cursor left, the view following it (masked modes); else pan earlier", pane: .reconstruction),
        KeyBinding([.char(".")], .patchRight, "patch-right", "patch cursor right, the view following it (masked modes); else pan later", pane: .reconstruction),
        KeyBinding([.char(" ")], .togglePatch, "toggle-patch", "hide or show the patch under the cursor", pane: .reconstruction, bar: "Hide"),
        KeyBinding([.char("R")], .rerun, "rerun", "run the reconstruction again", pane: .reconstruction),
        KeyBinding([.char("<")], .panLeft, "pan-left", "pan earlier in time (when zoomed)", pane: .reconstruction),
        KeyBinding([.char(">")], .panRight, "pan-right", "pan later in time (when zoomed)", pane: .reconstruction),
        KeyBinding([.char("+"), .char("=")], .timeZoomIn, "time-zoom-in", "zoom in in time (×2, up to ×8)", pane: .reconstruction, bar: "Zoom"),
        KeyBinding([.char("-")], .timeZoomOut, "time-zoom-out", "zoom out in time", pane: .reconstruction),
        // Traces
        KeyBinding([.char("+"), .char("=")], .timeZoomIn, "time-zoom-in", "zoom in in time (×2, up to ×8)", pane: .traces, bar: "Zoom"),
        KeyBinding([.char("-")], .timeZoomOut, "time-zoom-out", "zoom out in time", pane: .traces, bar: "Out"),
        KeyBinding([.char(","), .char("<")], .panLeft, "pan-left", "pan earlier in time (when zoomed)", pane: .traces, bar: "Earlier"),
        KeyBinding([.char("."), .char(">")], .panRight, "pan-right", "pan later in time (when zoomed)", pane: .traces, bar: "Later"),
        // Neighbours
        KeyBinding([.char("a")], .sameSubject, "same-subject", "include or exclude the same subject's segments", pane: .neighbours, bar: "Same"),
        KeyBinding([.enter], .jump, "jump", "go to the selected neighbour", pane: .neighbours, bar: "Go"),
        // Projection
        KeyBinding([.char("p")], .projectionMethod, "projection-method", "switch PCA / UMAP", pane: .projection, bar: "PCA/UMAP"),
        KeyBinding([.char("P")], .computeProjection, "compute-pca", "compute a PCA map now when the store has none (not saved)", pane: .projection),
        KeyBinding([.char("c")], .colorBy, "color-by", "colour points by the next label", pane: .projection, bar: "Colour"),
        KeyBinding([.enter], .jump, "jump", "go to the point nearest the cursor", pane: .projection, bar: "Go"),
        // Records
        KeyBinding([.char("/")], .search, "search", "search subject or record", pane: .records, bar: "Search"),
        KeyBinding([.char("n")], .nextMatch, "next-match", "next match (the next subject or record when the search names one)", pane: .records),
        KeyBinding([.char("N")], .prevMatch, "prev-match", "previous match", pane: .records),
        KeyBinding([.char("f"), .char("\\")], .filter, "filter", "filter by the next label", pane: .records, bar: "Filter"),
        KeyBinding([.char("s")], .sortNext, "sort", "sort by the next column on screen", pane: .records, bar: "Sort"),
        KeyBinding([.char("S")], .sortReverse, "sort-reverse", "reverse the sort order", pane: .records),
        // Everywhere
        KeyBinding([.char("?"), .function(1)], .help, "help", "show or hide this help", bar: "Help"),
        KeyBinding([.char("q"), .function(10), .ctrl("c")], .quit, "quit", "quit the workbench", bar: "Quit"),
        KeyBinding([.tab], .nextPane, "next-pane", "focus the next pane", bar: "Pane"),
        KeyBinding([.backTab], .prevPane, "prev-pane", "focus the previous pane"),
        KeyBinding([.char("z")], .zoom, "zoom", "zoom the focused pane to full screen", bar: "Zoom"),
        KeyBinding([.char("m")], .cycleMode, "fingerprint-mode", "fingerprint mode ECG+PPG / ECG / PPG", bar: "Mode"),
        KeyBinding([.up, .char("k")], .up, "go-up", "previous row (cursor up in Projection, scroll in Predictions)"),
        KeyBinding([.down, .char("j")], .down, "go-down", "next row (cursor down in Projection, scroll in Predictions)"),
        KeyBinding([.left, .char("h")], .left, "prev-segment", "subject's previous segment (cursor left in Projection)"),
        KeyBinding([.right, .char("l")], .right, "next-segment", "subject's next segment (cursor right in Projection)"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page-up", "one page up"),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, "page-down", "one page down"),
        KeyBinding([.char("g"), .home], .top, "go-top", "first row"),
        KeyBinding([.char("G"), .end], .bottom, "go-bottom", "last row"),
        KeyBinding([.char("x")], .export, "export", "export the view as a text snapshot and an SVG figure", bar: "Export"),
        KeyBinding([.ctrl("l")], .redraw, "redraw", "redraw the screen"),
        KeyBinding([.ctrl("z")], .suspend, "suspend", "suspend to the shell (fg resumes)"),
        KeyBinding([.escape], .cancel, "cancel", "clear the search or message, close help, unzoom, stop a demo"),
    ]

    /// The command bound to `key` in `pane` (pane bindings win), or nil.
    public static func command(for key: Key, in pane: Pane) -> Command? {
        bindings.first { $0.keys.contains(key) && ($0.pane == nil || $0.pane == pane) }?.command
    }

    /// The bindings shown in the function bar, in table order.
    public static var bar: [KeyBinding] { bindings.filter { $0.bar != nil } }

    /// The function bar's bindings for `pane`: its own first, then the global ones.
    public static func bar(for pane: Pane) -> [KeyBinding] {
        bar.filter { $0.pane == pane } + bar.filter { $0.pane == nil }
    }
}
