import Foundation
import TerminalUI
import Store

/// The Projection pane: every fingerprint as a braille dot coloured by a label, the current
/// segment (◉), its neighbours (○) and the cursor (+), with the point nearest the cursor named.
enum ProjectionPane {
    /// The plot inside a pane's area (border and the legend row removed).
    static func plotArea(_ area: Rect) -> Rect {
        let inner = area.inset(1)
        return Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1)
    }

    /// The drawn map is memoised in the state's `mapMemo`: redrawing 100,000 points costs
    /// ~5 ms a frame, and the map changes only with the points (their checksum, ~0.1 ms),
    /// the colouring, the plot size or the records. Overlays (current segment, neighbours,
    /// cursor) are drawn fresh every frame.
    private static func checksum(_ p: [Float]) -> UInt64 {
        p.withUnsafeBufferPointer { b in
            var h: UInt64 = UInt64(b.count)
            for v in b { h = (h &* 31) &+ UInt64(v.bitPattern) }
            return h
        }
    }

    /// All points as braille dots coloured by the current label.
    private static func drawPoints(_ s: AppState, _ p: [Float], width: Int, height: Int) -> BrailleCanvas {
        var canvas = BrailleCanvas(width: width, height: height)
        let n = min(p.count / 2, s.records.count)
        // Scales hoisted; colours computed once per run of same-subject rows (every colouring
        // label is a subject label).
        let bounds = s.projectionBounds
        let sx = Float(canvas.dotWidth - 1) / (bounds.maxX - bounds.minX), sy = Float(canvas.dotHeight - 1) / (bounds.maxY - bounds.minY)
        s.records.withUnsafeBufferPointer { rows in
            p.withUnsafeBufferPointer { pts in
                var lastSubject = -1
                var color = Color.default
                for i in 0..<n {
                    let x = pts[2 * i], y = pts[2 * i + 1]
                    guard x.isFinite, y.isFinite else { continue }
                    if rows[i].subjectIndex != lastSubject { lastSubject = rows[i].subjectIndex; color = Theme.color(s.colorBy, rows[i]) }
                    canvas.set(x: Int(((x - bounds.minX) * sx).rounded()), y: Int(((bounds.maxY - y) * sy).rounded()), color: color)
                }
            }
        }
        return canvas
    }

    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        let inner = Block(title: "Projection · \(s.projectionMethod.title) · \(modeTitle(s.mode)) · colour: \(s.colorBy.rawValue)",
                          style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 3, inner.width >= 10 else { return }
        guard s.modelName != nil else { ReconstructionPane.noModel(inner, into: &b); return }
        guard let p = s.projection, s.projectionKey == ProjectionKey(method: s.projectionMethod, mode: s.mode) else {
            b.setString(x: inner.x, y: inner.y, s.running.contains(.projection) ? "projecting…" : "no \(s.projectionMethod.title) projection in this store: P computes a PCA", style: .dim, maxWidth: inner.width)
            return
        }
        let plot = plotArea(area)
        let bx = Double(s.projectionBounds.minX)...Double(s.projectionBounds.maxX)
        let by = Double(s.projectionBounds.minY)...Double(s.projectionBounds.maxY)
        let key = MapKey(checksum: checksum(p), colorBy: s.colorBy, width: plot.width, height: plot.height, rows: s.records.count)
        let canvas = s.mapMemo.canvas(for: key) { drawPoints(s, p, width: plot.width, height: plot.height) }
        let n = min(p.count / 2, s.records.count)
        canvas.render(into: &b, x: plot.x, y: plot.y)
        func cellOf(_ i: Int) -> (Int, Int) {
            let d = canvas.dot(x: Double(p[2 * i]), y: Double(p[2 * i + 1]), xRange: bx, yRange: by)
            return (plot.x + d.x / 2, plot.y + d.y / 4)
        }
        if let c = s.current, s.neighboursKey?.index == c.index {
            for nb in s.neighbours where nb.index < n { let (x, y) = cellOf(nb.index); b.set(x: x, y: y, Cell("○", style: Style(fg: .white, .bold))) }
        }
        if let c = s.current, c.index < n { let (x, y) = cellOf(c.index); b.set(x: x, y: y, Cell("◉", style: Style(fg: .white, .bold))) }
        let cx = plot.x + min(plot.width - 1, Int(s.cursor.x * Double(plot.width)))
        let cy = plot.y + min(plot.height - 1, Int((1 - s.cursor.y) * Double(plot.height)))
        if focused { b.set(x: cx, y: cy, Cell("+", style: Style(fg: .yellow, .bold))) }
        // Legend, or the point under the cursor when focused.
        let y = inner.bottom - 1
        if focused, let i = nearestPoint(s), i < s.records.count {
            let r = s.records[i]
            b.setString(x: inner.x, y: y, fit("+ \(r.subject) @\(Int(r.start))s · \(labelSummary(r.labels)) · Enter jumps", inner.width), style: Style(fg: .yellow))
        } else {
            var x = inner.x
            for (color, text) in Theme.legend(s.colorBy) { x = b.setString(x: x, y: y, "● " + text + "  ", style: Style(fg: color), maxWidth: inner.right - x) }
        }
    }
}

/// What the drawn map depends on.
struct MapKey: Hashable {
    var checksum: UInt64
    var colorBy: ColorLabel
    var width: Int
    var height: Int
    var rows: Int
}

/// A one-entry memo of the drawn map (the same key always gives the same canvas, so `render`
/// stays a function of the state).
final class MapMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (MapKey, BrailleCanvas)?

    func canvas(for key: MapKey, _ make: () -> BrailleCanvas) -> BrailleCanvas {
        if let hit = lock.withLock({ entry.flatMap { $0.0 == key ? $0.1 : nil } }) { return hit }
        let c = make()
        lock.withLock { entry = (key, c) }
        return c
    }
}
