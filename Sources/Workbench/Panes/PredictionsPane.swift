import Foundation
import TerminalUI
import Store

/// The Predictions pane: every downstream task as labelled bars beside the true label.
enum PredictionsPane {
    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        let inner = Block(title: "Predictions · \(modeTitle(s.mode))", style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 1, inner.width >= 20 else { return }
        guard s.modelName != nil else { ReconstructionPane.noModel(inner, into: &b); return }
        guard let c = s.current, s.predictionsKey == NeighboursKey(index: c.index, mode: s.mode) else {
            b.setString(x: inner.x, y: inner.y, "predicting…", style: .dim, maxWidth: inner.width)
            return
        }
        if s.predictions.isEmpty { b.setString(x: inner.x, y: inner.y, "no trained probes for this model", style: .dim, maxWidth: inner.width); return }
        var y = inner.y
        let nameWidth = 9, valueWidth = 5
        let barWidth = max(4, inner.width - nameWidth - valueWidth - 3)
        for p in s.predictions {
            guard y < inner.bottom else { break }
            let truth = "true: " + (p.truth ?? "—")
            b.setString(x: inner.x, y: y, fit(p.task, inner.width - truth.count - 1), style: .bold)
            b.setString(x: inner.right - truth.count, y: y, truth, style: Style(fg: .yellow))
            y += 1
            if let v = p.value {
                if y < inner.bottom {
                    b.setString(x: inner.x, y: y, fit("  predicted " + String(format: "%.1f", v) + (p.unit.isEmpty ? "" : " " + p.unit), inner.width))
                    y += 1
                }
                continue
            }
            let best = p.classes.indices.max { p.classes[$0].probability < p.classes[$1].probability }
            for (i, cls) in p.classes.enumerated() where y < inner.bottom {
                let isTrue = cls.name == p.truth
                b.setString(x: inner.x, y: y, fit((isTrue ? "▸" : " ") + cls.name, nameWidth), style: isTrue ? Style(fg: .yellow) : .plain)
                let filled = Int((Double(cls.probability) * Double(barWidth)).rounded())
                let color: Color = i == best ? Theme.accent : .default
                b.setString(x: inner.x + nameWidth + 1, y: y, String(repeating: "█", count: min(filled, barWidth)), style: Style(fg: color))
                b.setString(x: inner.x + nameWidth + 1 + filled, y: y, String(repeating: "░", count: max(0, barWidth - filled)), style: .dim)
                b.setString(x: inner.right - valueWidth, y: y, rfit(String(format: "%.0f%%", cls.probability * 100), valueWidth), style: i == best ? .bold : .plain)
                y += 1
            }
        }
    }
}
