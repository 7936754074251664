import Foundation
import TerminalUI
import Store

/// The Traces pane: ECG and PPG as braille traces with R-peaks and PPG peaks marked.
enum TracesPane {
    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        var title = "Traces"
        if let c = s.current { title += " · \(c.subject) \(c.record) @\(Int(c.start))s" }
        if s.timeZoom > 1 { title += " · ×\(s.timeZoom)" }
        let inner = Block(title: title, style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 3, inner.width >= 10 else { return }
        guard let c = s.current else { b.setString(x: inner.x, y: inner.y, "no segment", style: .dim); return }
        guard let t = s.trace, t.index == c.index else {
            b.setString(x: inner.x, y: inner.y, "loading segment \(c.index)…", style: .dim, maxWidth: inner.width)
            return
        }
        // Summary line.
        let hr = t.heartRate.map { String(format: "HR %.0f bpm", $0) } ?? "HR —"
        let pat = t.pulseArrival.map { String(format: "PAT %.0f ms", $0 * 1000) } ?? "PAT —"
        var x = b.setString(x: inner.x, y: inner.y, hr + "  ", style: .bold, maxWidth: inner.width)
        x = b.setString(x: x, y: inner.y, pat + "  ", style: .bold, maxWidth: inner.right - x)
        x = b.setString(x: x, y: inner.y, "ECG " + quality(t.ecgQuality) + " ", style: Style(fg: t.ecgQuality.isEmpty ? .green : .yellow), maxWidth: inner.right - x)
        b.setString(x: x, y: inner.y, "PPG " + quality(t.ppgQuality), style: Style(fg: t.ppgQuality.isEmpty ? .green : .yellow), maxWidth: inner.right - x)

        // Two traces, each with a marker row beneath, then a time axis.
        let body = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 2)
        let halves = Layout.vertical([.percentage(50), .min(0)]).split(body)
        let window = SegmentFormat.samples / s.timeZoom
        let range = s.timeStart..<min(SegmentFormat.samples, s.timeStart + window)
        drawTrace(t.ecg, peaks: t.rPeaks, label: "ECG", color: Theme.ecg, marker: ("▲", Theme.rPeak), range: range, area: halves[0], into: &b)
        drawTrace(t.ppg, peaks: t.ppgPeaks, label: "PPG", color: Theme.ppg, marker: ("●", Theme.ppgPeak), range: range, area: halves[1], into: &b)
        drawAxis(range: range, y: inner.bottom - 1, x: inner.x, width: inner.width, into: &b)
    }

    private static func quality(_ q: QualityFlags) -> String { q.isEmpty ? "ok" : q.names.joined(separator: ",") }

    /// One trace in the rows above `area`'s last, peak markers on its last row.
    static func drawTrace(_ x: [Float], peaks: [Int], label: String, color: Color, marker: (Character, Color),
                          range: Range<Int>, area: Rect, into b: inout Buffer) {
        guard area.height >= 2, x.count >= range.upperBound else { return }
        var canvas = BrailleCanvas(width: area.width, height: area.height - 1)
        let window = x[range]
        let finite = window.filter { $0.isFinite }
        if let lo = finite.min(), let hi = finite.max() {
            let pad = max((hi - lo) * 0.05, 1e-6)
            canvas.trace(window, range: (lo - pad)...(hi + pad), color: color)
        } else {
            b.setString(x: area.x + 6, y: area.y, "absent", style: .dim)
        }
        canvas.render(into: &b, x: area.x, y: area.y)
        b.setString(x: area.x, y: area.y, label, style: Style(fg: color, .bold))
        let markerRow = area.bottom - 1
        for p in peaks where range.contains(p) {
            let col = (p - range.lowerBound) * area.width / range.count
            b.set(x: area.x + col, y: markerRow, Cell(marker.0, style: Style(fg: marker.1)))
        }
    }

    /// A time axis in seconds under the traces.
    static func drawAxis(range: Range<Int>, y: Int, x: Int, width: Int, into b: inout Buffer) {
        let seconds = Double(range.count) / SegmentFormat.sampleRate
        let step = seconds > 5 ? 2.0 : seconds > 2 ? 1.0 : 0.5
        var t = (Double(range.lowerBound) / SegmentFormat.sampleRate / step).rounded(.up) * step
        let end = Double(range.upperBound) / SegmentFormat.sampleRate
        while t < end {
            let col = Int((t * SegmentFormat.sampleRate - Double(range.lowerBound)) / Double(range.count) * Double(width))
            let label = step < 1 ? String(format: "%.1fs", t) : String(format: "%.0fs", t)
            if col + label.count <= width { b.setString(x: x + col, y: y, "┊" + label, style: .dim) }
            t += step
        }
    }
}
