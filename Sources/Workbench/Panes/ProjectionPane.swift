import Foundation
import TerminalUI
import Store

/// The Projection pane: every fingerprint as a point marked by a label, the current segment
/// (◉), its neighbours (○) and the cursor (+); under the map, the point nearest the cursor
/// (or the current segment) and the legend.
///
/// With colour the points are braille dots in the label's colour. Without colour
/// (`NO_COLOR`) each cell shows the glyph of the class most of its points have
/// (`Theme.glyphs`), so the classes stay apart in a screenshot.
enum ProjectionPane {
    /// The plot inside a pane's area (border, the info row and the legend row removed).
    static func plotArea(_ area: Rect) -> Rect {
        let inner = area.inset(1)
        return Rect(x: inner.x, y: inner.y, width: inner.width, height: max(0, inner.height - 2))
    }

    /// The drawn map is memoised in the state's `mapMemo`: redrawing 100,000 points costs
    /// ~5 ms a frame, and the map changes only with the points (their checksum, ~0.1 ms),
    /// the colouring, the plot size, colour or glyphs, or the records. Overlays (current
    /// segment, neighbours, cursor) are drawn fresh every frame.
    private static func checksum(_ p: [Float]) -> UInt64 {
        p.withUnsafeBufferPointer { b in
            var h: UInt64 = UInt64(b.count)
            for v in b { h = (h &* 31) &+ UInt64(v.bitPattern) }
            return h
        }
    }

    /// Every finite point's dot (x, y) with its row, in the plot's dot grid.
    private static func forEachDot(_ s: AppState, _ p: [Float], dotWidth: Int, dotHeight: Int, _ body: (Int, Int, RecordRow) -> Void) {
        let n = min(p.count / 2, s.records.count)
        let bounds = s.projectionBounds
        let sx = Float(dotWidth - 1) / (bounds.maxX - bounds.minX), sy = Float(dotHeight - 1) / (bounds.maxY - bounds.minY)
        s.records.withUnsafeBufferPointer { rows in
            p.withUnsafeBufferPointer { pts in
                for i in 0..<n {
                    let x = pts[2 * i], y = pts[2 * i + 1]
                    guard x.isFinite, y.isFinite else { continue }
                    body(Int(((x - bounds.minX) * sx).rounded()), Int(((bounds.maxY - y) * sy).rounded()), rows[i])
                }
            }
        }
    }

    /// All points as braille dots coloured by the current label, as cells (row-major).
    private static func drawDots(_ s: AppState, _ p: [Float], width: Int, height: Int) -> [Cell?] {
        var canvas = BrailleCanvas(width: width, height: height)
        // Colours are computed once per run of same-subject rows (every label is a subject label).
        var lastSubject = -1
        var color = Color.default
        let perRow = s.colorBy.isPerRecord
        forEachDot(s, p, dotWidth: canvas.dotWidth, dotHeight: canvas.dotHeight) { x, y, row in
            if perRow || row.subjectIndex != lastSubject { lastSubject = row.subjectIndex; color = Theme.color(s.colorBy, row) }
            canvas.set(x: x, y: y, color: color)
        }
        var buffer = Buffer(area: Rect(width: width, height: height))
        canvas.render(into: &buffer, x: 0, y: 0)
        return buffer.cells.map { $0 == .empty ? nil : $0 }
    }

    /// All points as one glyph per cell: the class most of the cell's points have.
    private static func drawGlyphs(_ s: AppState, _ p: [Float], width: Int, height: Int) -> [Cell?] {
        let classes = Theme.glyphs.count + 1   // the last: unknown
        var counts = [Int32](repeating: 0, count: width * height * classes)
        var lastSubject = -1
        var group = classes - 1
        let perRow = s.colorBy.isPerRecord
        forEachDot(s, p, dotWidth: width * 2, dotHeight: height * 4) { x, y, row in
            if perRow || row.subjectIndex != lastSubject { lastSubject = row.subjectIndex; group = Theme.group(s.colorBy, row) ?? classes - 1 }
            counts[((y / 4) * width + x / 2) * classes + group] += 1
        }
        return (0..<(width * height)).map { cell in
            let slice = counts[(cell * classes)..<((cell + 1) * classes)]
            guard let best = slice.indices.max(by: { slice[$0] < slice[$1] }), slice[best] > 0 else { return nil }
            let g = best - cell * classes
            return Cell(g == classes - 1 ? Theme.unknownGlyph : Theme.glyphs[g], style: .plain)
        }
    }

    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        let inner = Block(title: "Projection · \(s.projectionMethod.title) · \(modeTitle(s.mode)) · by \(s.colorBy.title)",
                          style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 4, inner.width >= 10 else { return }
        guard s.modelName != nil else { ReconstructionPane.noModel(inner, into: &b); return }
        guard let p = s.projection, s.projectionKey == ProjectionKey(method: s.projectionMethod, mode: s.mode) else {
            b.setString(x: inner.x, y: inner.y, s.running.contains(.projection) ? "projecting…" : "no \(s.projectionMethod.title) projection in this store: P computes a PCA", style: .dim, maxWidth: inner.width)
            return
        }
        let plot = plotArea(area)
        let key = MapKey(checksum: checksum(p), colorBy: s.colorBy, glyphs: !s.useColor, width: plot.width, height: plot.height, rows: s.records.count)
        let cells = s.mapMemo.cells(for: key) {
            s.useColor ? drawDots(s, p, width: plot.width, height: plot.height) : drawGlyphs(s, p, width: plot.width, height: plot.height)
        }
        for (i, cell) in cells.enumerated() {
            if let cell { b.set(x: plot.x + i % plot.width, y: plot.y + i / plot.width, cell) }
        }
        let n = min(p.count / 2, s.records.count)
        let bx = Double(s.projectionBounds.minX)...Double(s.projectionBounds.maxX)
        let by = Double(s.projectionBounds.minY)...Double(s.projectionBounds.maxY)
        let grid = BrailleCanvas(width: plot.width, height: plot.height)
        func cellOf(_ i: Int) -> (Int, Int) {
            let d = grid.dot(x: Double(p[2 * i]), y: Double(p[2 * i + 1]), xRange: bx, yRange: by)
            return (plot.x + d.x / 2, plot.y + d.y / 4)
        }
        if let c = s.current, s.neighboursKey?.index == c.index {
            for nb in s.neighbours where nb.index < n { let (x, y) = cellOf(nb.index); b.set(x: x, y: y, Cell("○", style: Style(fg: .white, .bold))) }
        }
        if let c = s.current, c.index < n { let (x, y) = cellOf(c.index); b.set(x: x, y: y, Cell("◉", style: Style(fg: .white, .bold))) }
        let cx = plot.x + min(plot.width - 1, Int(s.cursor.x * Double(plot.width)))
        let cy = plot.y + min(plot.height - 1, Int((1 - s.cursor.y) * Double(plot.height)))
        if focused { b.set(x: cx, y: cy, Cell("+", style: Style(fg: .yellow, .bold))) }
        // The point under the cursor when focused, else the current segment; then the legend.
        let info = inner.bottom - 2
        if focused, let i = nearestPoint(s), i < s.records.count {
            let r = s.records[i]
            b.setString(x: inner.x, y: info, fit("+ \(r.subject) @\(Int(r.start))s · \(labelSummary(r.labels)) · Enter jumps", inner.width), style: Style(fg: .yellow))
        } else if let c = s.current {
            b.setString(x: inner.x, y: info, fit("◉ \(c.subject) @\(Int(c.start))s · ○ its neighbours", inner.width))
        }
        drawLegend(s, x: inner.x, y: inner.bottom - 1, width: inner.width, into: &b)
    }

    /// One row: each class's colour dot (or glyph without colour) and name.
    private static func drawLegend(_ s: AppState, x x0: Int, y: Int, width: Int, into b: inout Buffer) {
        let entries = Theme.legend(s.colorBy)
        var x = x0
        let right = x0 + width
        if s.colorBy == .subject {
            let marks = s.useColor ? entries.map { ("⣿", $0.0) } : Theme.glyphs.prefix(entries.count).map { (String($0), Color.default) }
            for (mark, color) in marks { x = b.setString(x: x, y: y, mark, style: Style(fg: color), maxWidth: right - x) }
            b.setString(x: x, y: y, " subjects in turn", style: .dim, maxWidth: right - x)
            return
        }
        for (i, (color, text)) in entries.enumerated() {
            let mark = s.useColor ? "⣿" : String(Theme.glyphs[i])
            x = b.setString(x: x, y: y, mark + " ", style: Style(fg: color, .bold), maxWidth: right - x)
            x = b.setString(x: x, y: y, text + "  ", maxWidth: right - x)
        }
        let unknown = s.useColor ? "⣿" : String(Theme.unknownGlyph)
        x = b.setString(x: x, y: y, unknown + " ", style: .bold, maxWidth: right - x)
        b.setString(x: x, y: y, "unknown", style: .dim, maxWidth: right - x)
    }
}

/// What the drawn map depends on.
struct MapKey: Hashable {
    var checksum: UInt64
    var colorBy: ColorLabel
    var glyphs: Bool
    var width: Int
    var height: Int
    var rows: Int
}

/// A one-entry memo of the drawn map (the same key always gives the same cells, so `render`
/// stays a function of the state).
final class MapMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (MapKey, [Cell?])?

    func cells(for key: MapKey, _ make: () -> [Cell?]) -> [Cell?] {
        if let hit = lock.withLock({ entry.flatMap { $0.0 == key ? $0.1 : nil } }) { return hit }
        let c = make()
        lock.withLock { entry = (key, c) }
        return c
    }
}
