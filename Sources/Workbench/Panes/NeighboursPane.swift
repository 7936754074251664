import Foundation
import TerminalUI
import Store

/// The Neighbours pane: the k nearest fingerprints with similarity, subject and labels; rows
/// of the current segment's own subject (after `a`) are yellow and underlined.
enum NeighboursPane {
    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        let scope = s.includeSameSubject ? "all subjects" : "other subjects"
        let inner = Block(title: "Neighbours · \(modeTitle(s.mode)) · \(scope)", style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 2, inner.width >= 10 else { return }
        guard s.modelName != nil else { ReconstructionPane.noModel(inner, into: &b); return }
        guard let c = s.current, s.neighboursKey == SegmentFingerprintKey(index: c.index, mode: s.mode) else {
            b.setString(x: inner.x, y: inner.y, "searching…", style: .dim, maxWidth: inner.width)
            return
        }
        b.setString(x: inner.x, y: inner.y, fit(" #  sim   subject    t     labels", inner.width), style: Style(fg: Theme.accent, .bold))
        if s.neighbours.isEmpty { b.setString(x: inner.x, y: inner.y + 1, "no neighbours", style: .dim); return }
        for (i, n) in s.neighbours.prefix(inner.height - 1).enumerated() {
            let start = s.records.indices.contains(n.index) ? String(format: "%.0fs", s.records[n.index].start) : ""
            let line = rfit(String(i + 1), 2) + " " + String(format: "%.3f", n.similarity) + " " + fit(n.subject, 10) + " " + fit(start, 5) + " " + n.labels
            let same = n.subject == c.subject
            // The same subject's rows: yellow and underlined, so they stand out without colour.
            var style = same ? Style(fg: .yellow, .underline) : Style.plain
            if i == s.neighbourSelected && focused { style.attributes.insert(.reverse) }
            b.setString(x: inner.x, y: inner.y + 1 + i, fit(line, inner.width), style: style)
        }
    }
}
