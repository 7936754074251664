import Foundation
import TerminalUI
import Signals
import Store

/// The Reconstruction pane: original (dotted, dim) and reconstructed trace (solid, bold)
/// overlaid, with Pearson r and RMSE; in the masked modes a patch strip shows what is hidden
/// and where the cursor is.
enum ReconstructionPane {
    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        let zoom = s.timeZoom > 1 ? " · ×\(s.timeZoom)" : ""
        let drawn = s.reconstruction.flatMap { r in r.index == s.current?.index && r.mode == s.reconMode ? r : nil }
        let timing = drawn.map { " · " + Self.timing($0) } ?? ""
        let inner = Block(title: "Reconstruction · \(s.reconMode.rawValue)\(zoom)\(timing)", style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 3, inner.width >= 10 else { return }
        guard s.modelName != nil else { noModel(inner, into: &b); return }
        guard let c = s.current else { return }
        guard s.hasWaveforms else {
            for (i, line) in wrap(AppState.noWaveforms, width: inner.width).prefix(inner.height).enumerated() {
                b.setString(x: inner.x, y: inner.y + i, line, style: .dim, maxWidth: inner.width)
            }
            return
        }
        guard let r = s.reconstruction, r.index == c.index, r.mode == s.reconMode else {
            let text = s.running.contains(.reconstruction) ? "reconstructing segment \(c.index)…"
                : s.reconstructionNote ?? "reconstructing segment \(c.index)…"
            for (i, line) in wrap(text, width: inner.width).prefix(inner.height).enumerated() {
                b.setString(x: inner.x, y: inner.y + i, line, style: .dim, maxWidth: inner.width)
            }
            return
        }
        var x = b.setString(x: inner.x, y: inner.y, (r.pearson.map { String(format: "r %.3f", $0) } ?? "r n/a") + String(format: "  RMSE %.3f  ", r.rmse), style: .bold, maxWidth: inner.width)
        // Original dotted and dim, model solid and bold: apart without colour too.
        x = b.setString(x: x, y: inner.y, "⠂⠂ original ", style: Style(fg: Theme.original, .dim), maxWidth: inner.right - x)
        b.setString(x: x, y: inner.y, "⠒⠒ model", style: Style(fg: Theme.reconstructed, .bold), maxWidth: inner.right - x)
        let stripRows = s.reconMode.isMasked ? 1 : 0
        let plot = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 2 - stripRows)
        let window = SegmentFormat.samples / s.timeZoom
        let range = s.timeStart..<min(SegmentFormat.samples, s.timeStart + window)
        guard plot.height >= 1, r.original.count >= range.upperBound, r.reconstructed.count >= range.upperBound else { return }
        var original = BrailleCanvas(width: plot.width, height: plot.height)
        var model = BrailleCanvas(width: plot.width, height: plot.height)
        let values = (r.original[range] + r.reconstructed[range]).filter { $0.isFinite }
        if let lo = values.min(), let hi = values.max() {
            let pad = max((hi - lo) * 0.05, 1e-6)
            original.trace(r.original[range], range: (lo - pad)...(hi + pad), dotted: true)
            model.trace(r.reconstructed[range], range: (lo - pad)...(hi + pad))
        }
        BrailleCanvas.overlay(original, style: Style(fg: Theme.original, .dim), model, style: Style(fg: Theme.reconstructed, .bold),
                              into: &b, x: plot.x, y: plot.y)
        b.setString(x: plot.x, y: plot.y, s.reconMode.target == .ecg ? "ECG" : "PPG", style: .bold)
        if s.reconMode.isMasked {
            drawStrip(s, range: range, offset: r.mode.target == .ppg ? r.ppgShift : 0, y: plot.bottom, x: inner.x, width: inner.width, into: &b)
        }
        TracesPane.drawAxis(range: range, y: inner.bottom - 1, x: inner.x, width: inner.width, into: &b)
    }

    /// The PPG timing the model used: the record's measured delay, or the model's own when
    /// none was measured (a rebuilt ECG is then timed for that delay, not the device's).
    static func timing(_ r: Reconstruction) -> String {
        if let d = r.ppgDelay { return String(format: "delay %.0f ms", 1000 * d) }
        return String(format: "delay not measured: %.2f s assumed", DeviceDelay.modelDelay)
    }

    /// One character per column: █ hidden patch, · visible; the cursor's patch reversed. A
    /// patch of the model's PPG lies `offset` samples later in the record's time.
    private static func drawStrip(_ s: AppState, range: Range<Int>, offset: Int, y: Int, x: Int, width: Int, into b: inout Buffer) {
        let patch = SegmentFormat.samples / s.mask.count
        for col in 0..<width {
            let sample = range.lowerBound + col * range.count / width
            let p = min(s.mask.count - 1, max(0, sample - offset) / patch)
            let hidden = s.mask[p]
            var style = Style(fg: hidden ? Theme.reconstructed : .default, hidden ? [] : .dim)
            if p == s.patchCursor { style.attributes.insert(.reverse) }
            b.set(x: x + col, y: y, Cell(hidden ? "█" : "·", style: style))
        }
        let text = String(format: " %d/%d hidden (%.0f %%) ", s.mask.filter { $0 }.count, s.mask.count, s.maskRatio * 100)
        if width > text.count + 4 { b.setString(x: x + width - text.count, y: y, text, style: .bold) }
    }

    /// The note shown by the model panes when the store has no model.
    static func noModel(_ inner: Rect, into b: inout Buffer) {
        for (i, line) in wrap("No model in this store. Train one (m2ae train) and embed the store (m2ae embed) to see this pane.", width: inner.width).prefix(inner.height).enumerated() {
            b.setString(x: inner.x, y: inner.y + i, line, style: .dim)
        }
    }
}
