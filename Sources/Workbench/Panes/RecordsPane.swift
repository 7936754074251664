import Foundation
import TerminalUI
import Store

/// The Records pane: segments grouped by subject with labels, quality and predicted risk.
enum RecordsPane {
    /// Columns in display order with their widths; narrow panes drop the later-priority ones.
    private static let columns: [(SortColumn, Int, priority: Int)] = [
        (.subject, 10, 0), (.start, 6, 1), (.rhythm, 6, 2), (.age, 4, 5), (.sex, 3, 6),
        (.bp, 7, 7), (.quality, 14, 4), (.risk, 5, 3),
    ]

    /// The first visible row for a selection, keeping it in view (centred when possible).
    static func top(selected: Int, count: Int, rows: Int) -> Int {
        guard rows > 0, count > rows else { return 0 }
        return min(max(0, selected - rows / 2), count - rows)
    }

    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        var title = "Records \(s.visible.isEmpty ? 0 : s.selected + 1)/\(grouped(s.visible.count))"
        if s.filter != .all { title += " · \(s.filter)" }
        let inner = Block(title: title, style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 2, inner.width >= 4 else { return }
        if s.records.isEmpty {
            b.setString(x: inner.x, y: inner.y, s.running.contains(.records) ? "loading records…" : "no records", style: .dim, maxWidth: inner.width)
            return
        }
        // Pick columns by priority until the width is used up.
        var used = 0
        var chosen = Set<SortColumn>()
        for c in columns.sorted(by: { $0.priority < $1.priority }) where used + c.1 + 1 <= inner.width || chosen.isEmpty {
            chosen.insert(c.0); used += c.1 + 1
        }
        let shown = columns.filter { chosen.contains($0.0) }
        // Header, with the sort column marked.
        var x = inner.x
        for (col, w, _) in shown {
            let mark = col == s.sort ? (s.descending ? "▼" : "▲") : ""
            let text = col == .risk || col == .age ? rfit(col.rawValue + mark, w) : fit(col.rawValue + mark, w)
            x = b.setString(x: x, y: inner.y, text + " ", style: Style(fg: Theme.accent, .bold), maxWidth: inner.right - x)
        }
        let rows = inner.height - 1
        let top = top(selected: s.selected, count: s.visible.count, rows: rows)
        for r in 0..<min(rows, s.visible.count - top) {
            let p = top + r
            let row = s.records[s.visible[p]]
            let previous = p > 0 ? s.records[s.visible[p - 1]] : nil
            let groupStart = s.sort != .subject || previous?.subjectIndex != row.subjectIndex
            let y = inner.y + 1 + r
            var x = inner.x
            let selected = p == s.selected
            for (col, w, _) in shown {
                let (text, style) = cell(col, row, s, groupStart: groupStart)
                x = b.setString(x: x, y: y, (col == .risk || col == .age ? rfit(text, w) : fit(text, w)) + " ",
                                style: selected ? Style(fg: style.fg, .reverse) : style, maxWidth: inner.right - x)
            }
            if selected { b.setStyle(Rect(x: x, y: y, width: inner.right - x, height: 1), .reverse) }
        }
        if let input = s.searchInput {
            b.setString(x: area.x + 1, y: area.bottom - 1, " /\(input)▏", style: Style(fg: .yellow, .bold), maxWidth: area.width - 2)
        } else if !s.search.isEmpty {
            b.setString(x: area.x + 1, y: area.bottom - 1, " /\(s.search) (n/N) ", style: .dim, maxWidth: area.width - 2)
        }
    }

    private static func cell(_ col: SortColumn, _ row: RecordRow, _ s: AppState, groupStart: Bool) -> (String, Style) {
        switch col {
        case .subject: return (groupStart ? row.subject : "", .bold)
        case .start: return (String(format: "%.0fs", row.start), .plain)
        case .rhythm:
            guard let c = row.labels.ecgClass else { return ("—", .dim) }
            return (ECGClass.names[Int(c.rawValue)], Style(fg: Theme.color(.rhythm, row)))
        case .age: return (row.labels.age.map { String(Int($0.rounded())) } ?? "—", .plain)
        case .sex: return (row.labels.sex.map { $0 == .female ? "F" : "M" } ?? "—", .plain)
        case .bp:
            if let sys = row.labels.systolic, let dia = row.labels.diastolic {
                return ("\(Int(sys))/\(Int(dia))", row.labels.hypertension == true ? Style(fg: .red) : .plain)
            }
            return (row.labels.hypertension == true ? "HT" : "—", row.labels.hypertension == true ? Style(fg: .red) : .dim)
        case .quality: return (row.qualityText, row.isClean ? Style(fg: .green) : Style(fg: .yellow))
        case .risk:
            guard let r = s.risk, r.indices.contains(row.index), r[row.index].isFinite else { return ("—", .dim) }
            let v = r[row.index]
            return (String(format: "%.2f", v), Style(fg: v >= 0.5 ? .red : v >= 0.25 ? .yellow : .green))
        }
    }
}
