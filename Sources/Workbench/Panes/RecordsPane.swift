import Foundation
import TerminalUI
import Store

/// The Records pane: segments grouped by subject with labels, quality and predicted risk.
enum RecordsPane {
    /// Columns in priority order (docs/workbench.md): the narrowest width each is drawn at,
    /// its widest and a shorter header.
    private static let priority: [(col: SortColumn, min: Int, max: Int, short: String)] = [
        (.subject, 5, 12, "subj"), (.start, 6, 6, "t"), (.rhythm, 7, 7, "rhy"), (.risk, 5, 5, "risk"),
        (.quality, 8, 14, "qual"), (.age, 4, 4, "age"), (.sex, 4, 4, "sex"), (.bp, 7, 7, "BP"),
    ]

    /// The columns a Records pane of `width` inner columns shows, in display order, with their
    /// widths: taken by priority until the next one does not fit (a later, narrower column
    /// never replaces an earlier one); spare columns widen subject (to its full header and
    /// sort mark), then quality. Shared with `update`, so `s` sorts only by visible columns.
    static func columns(_ s: AppState, width: Int) -> [(col: SortColumn, width: Int)] {
        var chosen: [SortColumn: Int] = [:]
        var used = 0
        for c in priority {
            let w = c.col == .subject ? min(c.max, max(c.min, s.subjectWidth)) : c.min
            guard used + w + 1 <= width || chosen.isEmpty else { break }
            chosen[c.col] = w; used += w + 1
        }
        // Spare columns: first the full "subject" header, then a wider quality column.
        if let w = chosen[.subject], w < 8, used + 8 - w <= width { used += 8 - w; chosen[.subject] = 8 }
        if let q = chosen[.quality], let widest = priority.first(where: { $0.col == .quality })?.max {
            chosen[.quality] = min(widest, q + max(0, width - used))
        }
        return SortColumn.allCases.compactMap { col in chosen[col].map { (col, $0) } }
    }

    /// The columns of the Records pane as laid out for `s` (all of them when it is not drawn).
    static func columns(_ s: AppState) -> [(col: SortColumn, width: Int)] {
        guard let area = ScreenLayout(s).panes[.records] else { return columns(s, width: .max / 2) }
        return columns(s, width: area.width - 2)
    }

    /// A column's header in `width` columns with the sort mark after it: the short header
    /// when the long one and the mark do not fit.
    private static func header(_ col: SortColumn, width: Int, mark: String) -> String {
        let short = priority.first { $0.col == col }?.short ?? col.rawValue
        let name = col.rawValue.count + mark.count <= width ? col.rawValue : short
        return fit(name + mark, width)
    }

    /// The first visible row for a selection, keeping it in view (centred when possible).
    static func top(selected: Int, count: Int, rows: Int) -> Int {
        guard rows > 0, count > rows else { return 0 }
        return min(max(0, selected - rows / 2), count - rows)
    }

    static func render(_ s: AppState, _ area: Rect, focused: Bool, into b: inout Buffer) {
        let frame = Theme.frame(focused)
        var title = "Records \(grouped(s.visible.isEmpty ? 0 : s.selected + 1))/\(grouped(s.visible.count))"
        if s.filter != .all { title += " · \(s.filter)" }
        if let l = s.sortLabel { title += " · by \(l.label.name) \(s.descending ? "▼" : "▲")" }
        let inner = Block(title: title, style: frame.border, titleStyle: frame.title).render(area, into: &b)
        guard inner.height >= 2, inner.width >= 4 else { return }
        if s.records.isEmpty {
            b.setString(x: inner.x, y: inner.y, s.running.contains(.records) ? "loading records…" : "no records", style: .dim, maxWidth: inner.width)
            return
        }
        let shown = columns(s, width: inner.width)
        // Header, with the sort column marked; numbers are right-aligned below it.
        var x = inner.x
        for (col, w) in shown {
            let mark = col == s.sort && s.sortLabel == nil ? (s.descending ? "▼" : "▲") : ""
            x = b.setString(x: x, y: inner.y, header(col, width: w, mark: mark) + " ", style: Style(fg: Theme.accent, .bold), maxWidth: inner.right - x)
        }
        let rows = inner.height - 1
        let top = top(selected: s.selected, count: s.visible.count, rows: rows)
        for r in 0..<min(rows, s.visible.count - top) {
            let p = top + r
            let row = s.records[s.visible[p]]
            let previous = p > 0 ? s.records[s.visible[p - 1]] : nil
            let groupStart = s.sort != .subject || s.sortLabel != nil || previous?.subjectIndex != row.subjectIndex
            let y = inner.y + 1 + r
            var x = inner.x
            let selected = p == s.selected
            for (col, w) in shown {
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
            // Outside the model's training data: dimmed and marked, the Predictions pane says why.
            if s.riskUnfamiliar?[row.index] == true { return (String(format: "%.2f", v) + "?", .dim) }
            return (String(format: "%.2f", v), Style(fg: v >= 0.5 ? .red : v >= 0.25 ? .yellow : .green))
        }
    }
}
