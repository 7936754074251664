import Foundation
import TerminalUI
import Store

/// The Traces pane: ECG and PPG as braille traces with R-peaks and PPG peaks marked, the
/// heart rate beside the pulse rate, and a seconds axis on the bottom border.
enum TracesPane {
    /// The pane's title: subject, record (when it is not just the subject's id again), start.
    static func title(_ s: AppState) -> String {
        var title = "Traces"
        if let c = s.current {
            title += " · \(c.subject)"
            if !c.record.isEmpty, c.record != c.subject { title += " \(c.record)" }
            title += " @\(Int(c.start))s"
        }
        if s.timeZoom > 1 { title += " · ×\(s.timeZoom)" }
        return title
    }

    /// Rows of the ECG trace, the PPG trace and their peak markers in `rows` rows:
    /// separate marker rows under each trace once both traces get 3 rows that way, else one
    /// marker row shared between them, else (2 rows) the traces alone.
    static func split(rows: Int) -> (ecg: Int, ppg: Int, sharedMarkers: Bool, markers: Bool) {
        if rows >= 8 { let ecg = (rows - 1) / 2; return (ecg, rows - 2 - ecg, false, true) }
        if rows >= 3 { let ecg = rows / 2; return (ecg, rows - 1 - ecg, true, true) }
        return (min(1, rows), max(0, rows - 1), false, false)
    }

    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        let inner = Block(title: title(s), style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 2, inner.width >= 10 else { return }
        guard let c = s.current else { b.setString(x: inner.x, y: inner.y, "no segment", style: .dim); return }
        guard s.hasWaveforms else {
            for (i, line) in wrap(AppState.noWaveforms, width: inner.width).prefix(inner.height).enumerated() {
                b.setString(x: inner.x, y: inner.y + i, line, style: .dim, maxWidth: inner.width)
            }
            return
        }
        guard let t = s.trace, t.index == c.index else {
            b.setString(x: inner.x, y: inner.y, "loading segment \(c.index)…", style: .dim, maxWidth: inner.width)
            return
        }
        drawSummary(t, x: inner.x, y: inner.y, width: inner.width, into: &b)

        // The traces fill the rows under the summary; the axis goes on the bottom border.
        let window = SegmentFormat.samples / s.timeZoom
        let range = s.timeStart..<min(SegmentFormat.samples, s.timeStart + window)
        let rows = split(rows: inner.height - 1)
        var y = inner.y + 1
        let ecgArea = Rect(x: inner.x, y: y, width: inner.width, height: rows.ecg)
        y += rows.ecg
        let ecgMarkers = rows.markers ? y : nil
        if rows.markers { y += 1 }
        let ppgArea = Rect(x: inner.x, y: y, width: inner.width, height: rows.ppg)
        y += rows.ppg
        let ppgMarkers = rows.markers ? (rows.sharedMarkers ? ecgMarkers : y) : nil
        drawTrace(t.ecg, label: "ECG", color: Theme.ecg, range: range, area: ecgArea, into: &b)
        drawTrace(t.ppg, label: "PPG", color: Theme.ppg, range: range, area: ppgArea, into: &b)
        // PPG peaks first, so an R-peak wins a column both fall in on a shared row.
        if let row = ppgMarkers { drawMarkers(t.ppgPeaks, ("●", Theme.ppgPeak), range: range, x: inner.x, y: row, width: inner.width, into: &b) }
        if let row = ecgMarkers { drawMarkers(t.rPeaks, ("▲", Theme.rPeak), range: range, x: inner.x, y: row, width: inner.width, into: &b) }
        drawAxis(range: range, y: area.bottom - 1, x: inner.x, width: inner.width, tick: "┴", into: &b)
    }

    /// "HR 72 PR 71 bpm  PAT 180 ms  ECG ok PPG ok": the heart rate from the R-peaks beside the
    /// pulse rate from the PPG peaks; a disagreement over `TraceData.rateDisagreement` bpm is
    /// marked "≠" in reverse video, so it shows without colour too.
    static func drawSummary(_ t: TraceData, x x0: Int, y: Int, width: Int, into b: inout Buffer) {
        let right = x0 + width
        func rate(_ v: Double?) -> String { v.map { String(format: "%.0f", $0) } ?? "—" }
        var x = b.setString(x: x0, y: y, "HR " + rate(t.heartRate), style: .bold, maxWidth: width)
        if t.ratesDisagree {
            x = b.setString(x: x, y: y, " ≠ PR " + rate(t.pulseRate), style: Style(fg: .red, [.bold, .reverse]), maxWidth: right - x)
        } else {
            x = b.setString(x: x, y: y, " PR " + rate(t.pulseRate), style: .bold, maxWidth: right - x)
        }
        x = b.setString(x: x, y: y, " bpm  ", style: .bold, maxWidth: right - x)
        let pat = t.pulseArrival.map { String(format: "PAT %.0f ms", $0 * 1000) } ?? "PAT —"
        x = b.setString(x: x, y: y, pat + "  ", style: .bold, maxWidth: right - x)
        x = b.setString(x: x, y: y, "ECG " + quality(t.ecgQuality) + " ", style: Style(fg: t.ecgQuality.isEmpty ? .green : .yellow), maxWidth: right - x)
        b.setString(x: x, y: y, "PPG " + quality(t.ppgQuality), style: Style(fg: t.ppgQuality.isEmpty ? .green : .yellow), maxWidth: right - x)
    }

    private static func quality(_ q: QualityFlags) -> String { q.isEmpty ? "ok" : q.names.joined(separator: ",") }

    /// One trace filling `area` (braille, 4 dot rows per cell row), labelled at its top left.
    static func drawTrace(_ x: [Float], label: String, color: Color, range: Range<Int>, area: Rect, into b: inout Buffer) {
        guard area.height >= 1, x.count >= range.upperBound else { return }
        var canvas = BrailleCanvas(width: area.width, height: area.height)
        let window = x[range]
        let finite = window.filter { $0.isFinite }
        if let lo = finite.min(), let hi = finite.max() {
            let pad = max((hi - lo) * 0.05, 1e-6)
            canvas.trace(window, range: (lo - pad)...(hi + pad), color: color)
        } else {
            b.setString(x: area.x + 4, y: area.y, "absent", style: .dim)
        }
        canvas.render(into: &b, x: area.x, y: area.y)
        b.setString(x: area.x, y: area.y, label, style: Style(fg: color, .bold))
    }

    /// Peak markers at the columns of sample indices `peaks` (those inside `range`).
    static func drawMarkers(_ peaks: [Int], _ marker: (Character, Color), range: Range<Int>, x: Int, y: Int, width: Int, into b: inout Buffer) {
        for p in peaks where range.contains(p) {
            b.set(x: x + (p - range.lowerBound) * width / range.count, y: y, Cell(marker.0, style: Style(fg: marker.1)))
        }
    }

    /// A time axis in seconds: a tick and a label every 0.5, 1 or 2 s.
    static func drawAxis(range: Range<Int>, y: Int, x: Int, width: Int, tick: Character = "┊", into b: inout Buffer) {
        let seconds = Double(range.count) / SegmentFormat.sampleRate
        let step = seconds > 5 ? 2.0 : seconds > 2 ? 1.0 : 0.5
        var t = (Double(range.lowerBound) / SegmentFormat.sampleRate / step).rounded(.up) * step
        let end = Double(range.upperBound) / SegmentFormat.sampleRate
        while t < end {
            let col = Int((t * SegmentFormat.sampleRate - Double(range.lowerBound)) / Double(range.count) * Double(width))
            let label = step < 1 ? String(format: "%.1fs", t) : String(format: "%.0fs", t)
            if col + label.count < width { b.setString(x: x + col, y: y, String(tick) + label, style: .dim) }
            t += step
        }
    }
}
