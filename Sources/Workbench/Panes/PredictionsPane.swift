import Foundation
import TerminalUI
import Store

/// The Predictions pane: every downstream task as labelled bars beside the true label, under
/// a line on the segment's familiarity; an unfamiliar segment's bars are dimmed ("outside the
/// model's training data"). When the tasks need more rows than the pane has, ↑/↓ (PgUp/PgDn,
/// g/G) scroll it.
enum PredictionsPane {
    /// One drawn line: a task's heading, a regressed value, or one class's bar.
    enum Line: Equatable {
        case task(name: String, truth: String)
        case value(String)
        case probability(name: String, isTrue: Bool, probability: Float, isBest: Bool)
        case familiarity(String, unfamiliar: Bool)
    }

    /// The familiarity line's text.
    static func familiarityText(_ mark: FamiliarityMark) -> (String, unfamiliar: Bool) {
        switch mark {
        case .unknown: return ("familiarity unknown (no calibration)", false)
        case .familiar(let f): return (String(format: "familiar %.2f: like the training data", f), false)
        case .unfamiliar(let f): return (String(format: "⚠ outside the model's training data (%.2f)", f), true)
        }
    }

    /// True when the current predictions belong to a segment that failed the familiarity check.
    static func dimmed(_ s: AppState) -> Bool {
        if case .unfamiliar = s.predictionsFamiliarity { return true }
        return false
    }

    /// Every line of the current predictions, in order (empty while there are none).
    static func lines(_ s: AppState) -> [Line] {
        guard let c = s.current, s.predictionsKey == SegmentFingerprintKey(index: c.index, mode: s.mode) else { return [] }
        var out: [Line] = []
        if !s.predictions.isEmpty {
            let (text, unfamiliar) = familiarityText(s.predictionsFamiliarity)
            out.append(.familiarity(text, unfamiliar: unfamiliar))
        }
        for p in s.predictions {
            out.append(.task(name: p.task, truth: p.truth ?? "—"))
            if let v = p.value {
                out.append(.value("  predicted " + String(format: "%.1f", v) + (p.unit.isEmpty ? "" : " " + p.unit)))
                continue
            }
            let best = p.classes.indices.max { p.classes[$0].probability < p.classes[$1].probability }
            for (i, cls) in p.classes.enumerated() {
                out.append(.probability(name: cls.name, isTrue: cls.name == p.truth, probability: cls.probability, isBest: i == best))
            }
        }
        return out
    }

    /// The first line shown for `rows` rows: the scroll position, kept inside the lines.
    static func top(_ s: AppState, count: Int, rows: Int) -> Int { max(0, min(s.predictionsScroll, count - rows)) }

    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        let all = lines(s)
        let rows = max(0, area.height - 2)
        let top = top(s, count: all.count, rows: rows)
        let title = "Predictions · \(modeTitle(s.mode))" + (s.probesGenerated ? " · generated labels" : "")
        let inner = Block(title: title, style: frame.border, titleStyle: frame.title).render(area, into: &b)
        // Where the view is, on the bottom border, when the lines do not all fit.
        if all.count > rows, rows > 0 {
            let at = " \(top + 1)–\(min(all.count, top + rows)) of \(all.count) " + (top + rows < all.count ? "↓ " : "↑ ")
            if at.count + 2 < area.width { b.setString(x: area.right - 1 - at.count, y: area.bottom - 1, at, style: frame.title) }
        }
        guard inner.height >= 1, inner.width >= 20 else { return }
        guard s.modelName != nil else { ReconstructionPane.noModel(inner, into: &b); return }
        guard let c = s.current, s.predictionsKey == SegmentFingerprintKey(index: c.index, mode: s.mode) else {
            b.setString(x: inner.x, y: inner.y, "predicting…", style: .dim, maxWidth: inner.width)
            return
        }
        if s.predictions.isEmpty { b.setString(x: inner.x, y: inner.y, "no trained probes for this model", style: .dim, maxWidth: inner.width); return }
        let nameWidth = 9, valueWidth = 5, dim = dimmed(s)
        let barWidth = max(4, inner.width - nameWidth - valueWidth - 3)
        for (row, line) in all.dropFirst(top).prefix(inner.height).enumerated() {
            let y = inner.y + row
            switch line {
            case .task(let name, let truth):
                let t = "true: " + truth
                b.setString(x: inner.x, y: y, fit(name, inner.width - t.count - 1), style: .bold)
                b.setString(x: inner.right - t.count, y: y, t, style: Style(fg: .yellow))
            case .value(let text):
                b.setString(x: inner.x, y: y, fit(text, inner.width), style: dim ? .dim : .plain)
            case .familiarity(let text, let unfamiliar):
                b.setString(x: inner.x, y: y, fit(text, inner.width), style: unfamiliar ? Style(fg: .yellow, .bold) : .dim)
            case .probability(let name, let isTrue, let probability, let isBest):
                b.setString(x: inner.x, y: y, fit((isTrue ? "▸" : " ") + name, nameWidth), style: isTrue ? Style(fg: .yellow) : .plain)
                let filled = min(barWidth, Int((Double(probability) * Double(barWidth)).rounded()))
                b.setString(x: inner.x + nameWidth + 1, y: y, String(repeating: "█", count: filled), style: dim ? .dim : Style(fg: isBest ? Theme.accent : .default))
                b.setString(x: inner.x + nameWidth + 1 + filled, y: y, String(repeating: "░", count: max(0, barWidth - filled)), style: .dim)
                b.setString(x: inner.right - valueWidth, y: y, rfit(String(format: "%.0f%%", probability * 100), valueWidth), style: dim ? .dim : isBest ? .bold : .plain)
            }
        }
    }
}
