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
        KeyBinding([.char("r")], .reconMode, "recon-mode", "cycle PPG → ECG, ECG → PPG, masked ECG, masked PPG", pane: .reconstruction),
        KeyBinding([.char("[")], .maskLess, "mask-less", "hide 10 % fewer patches (masked modes)", pane: .reconstruction),
        KeyBinding([.char("]")], .maskMore, "mask-more", "hide 10 % more patches (masked modes)", pane: .reconstruction),
        KeyBinding([.char(","), .char("<")], .panLeft, "patch-left", "move the patch cursor left", pane: .reconstruction),
        KeyBinding([.char("."), .char(">")], .panRight, "patch-right", "move the patch cursor right", pane: .reconstruction),
        KeyBinding([.char(" ")], .togglePatch, "toggle-patch", "hide or show the patch under the cursor", pane: .reconstruction),
        KeyBinding([.char("R")], .rerun, "rerun", "run the reconstruction again", pane: .reconstruction),
        // Traces
        KeyBinding([.char(","), .char("<")], .panLeft, "pan-left", "pan earlier in time (when zoomed)", pane: .traces),
        KeyBinding([.char("."), .char(">")], .panRight, "pan-right", "pan later in time (when zoomed)", pane: .traces),
        // Neighbours
        KeyBinding([.char("a")], .sameSubject, "same-subject", "include or exclude the same subject's segments", pane: .neighbours),
        KeyBinding([.enter], .jump, "jump", "go to the selected neighbour", pane: .neighbours),
        // Projection
        KeyBinding([.char("p")], .projectionMethod, "projection-method", "switch PCA / UMAP", pane: .projection),
        KeyBinding([.char("P")], .computeProjection, "compute-pca", "compute a PCA map now when the store has none (not saved)", pane: .projection),
        KeyBinding([.char("c")], .colorBy, "color-by", "colour points by the next label", pane: .projection),
        KeyBinding([.enter], .jump, "jump", "go to the point nearest the cursor", pane: .projection),
        // Records
        KeyBinding([.char("/")], .search, "search", "search subject or record", pane: .records, bar: "Search"),
        KeyBinding([.char("n")], .nextMatch, "next-match", "next search match", pane: .records),
        KeyBinding([.char("N")], .prevMatch, "prev-match", "previous search match", pane: .records),
        KeyBinding([.char("f"), .char("\\")], .filter, "filter", "filter by the next label", pane: .records, bar: "Filter"),
        KeyBinding([.char("s")], .sortNext, "sort", "sort by the next column", pane: .records, bar: "Sort"),
        KeyBinding([.char("S")], .sortReverse, "sort-reverse", "reverse the sort order", pane: .records),
        // Everywhere
        KeyBinding([.char("?"), .function(1)], .help, "help", "show or hide this help", bar: "Help"),
        KeyBinding([.char("q"), .function(10), .ctrl("c")], .quit, "quit", "quit the workbench", bar: "Quit"),
        KeyBinding([.tab], .nextPane, "next-pane", "focus the next pane", bar: "Pane"),
        KeyBinding([.backTab], .prevPane, "prev-pane", "focus the previous pane"),
        KeyBinding([.char("z")], .zoom, "zoom", "zoom the focused pane to full screen", bar: "Zoom"),
        KeyBinding([.char("m")], .cycleMode, "fingerprint-mode", "fingerprint mode ECG+PPG / ECG / PPG", bar: "Mode"),
        KeyBinding([.up, .char("k")], .up, "go-up", "previous row (cursor up in Projection)"),
        KeyBinding([.down, .char("j")], .down, "go-down", "next row (cursor down in Projection)"),
        KeyBinding([.left, .char("h")], .left, "prev-segment", "subject's previous segment (cursor left in Projection)"),
        KeyBinding([.right, .char("l")], .right, "next-segment", "subject's next segment (cursor right in Projection)"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page-up", "one page up"),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, "page-down", "one page down"),
        KeyBinding([.char("g"), .home], .top, "go-top", "first row"),
        KeyBinding([.char("G"), .end], .bottom, "go-bottom", "last row"),
        KeyBinding([.char("+"), .char("=")], .timeZoomIn, "time-zoom-in", "zoom in in time (Traces, Reconstruction)"),
        KeyBinding([.char("-")], .timeZoomOut, "time-zoom-out", "zoom out in time"),
        KeyBinding([.char("x")], .export, "export", "export the view as a text snapshot and an SVG figure", bar: "Export"),
        KeyBinding([.ctrl("l")], .redraw, "redraw", "redraw the screen"),
        KeyBinding([.escape], .cancel, "cancel", "cancel search, close help, unzoom"),
    ]

    /// The command bound to `key` in `pane` (pane bindings win), or nil.
    public static func command(for key: Key, in pane: Pane) -> Command? {
        bindings.first { $0.keys.contains(key) && ($0.pane == nil || $0.pane == pane) }?.command
    }

    /// The bindings shown in the function bar, in table order.
    public static var bar: [KeyBinding] { bindings.filter { $0.bar != nil } }
}
