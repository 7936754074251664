import Foundation
import TerminalUI
import Store

// MARK: - Render

/// Draws the whole screen for `s`. Pure: the same state always gives the same buffer.
/// Every frame draws everything; the terminal backend sends only the changed cells.
public func render(_ s: AppState) -> Buffer {
    var b = Buffer(area: Rect(width: s.width, height: s.height))
    guard s.fitsScreen else {
        renderTooSmall(s, into: &b)
        return s.useColor ? b : withoutColor(b)
    }
    let layout = ScreenLayout(s)
    renderTabs(s, layout.tabs, into: &b)
    if s.showHelp {
        HelpPane.render(s, layout.body, into: &b)
    } else {
        for (pane, area) in layout.panes {
            let focused = pane == s.focus
            switch pane {
            case .records: RecordsPane.render(s, area, focused: focused, into: &b)
            case .traces: TracesPane.render(s, area, focused: focused, into: &b)
            case .reconstruction: ReconstructionPane.render(s, area, focused: focused, into: &b)
            case .neighbours: NeighboursPane.render(s, area, focused: focused, into: &b)
            case .projection: ProjectionPane.render(s, area, focused: focused, into: &b)
            case .predictions: PredictionsPane.render(s, area, focused: focused, into: &b)
            }
        }
    }
    renderBar(s, layout.bar, into: &b)
    renderStatus(s, layout.status, into: &b)
    return s.useColor ? b : withoutColor(b)
}

/// The message shown below the minimum size: wrapped to whatever width there is.
private func renderTooSmall(_ s: AppState, into b: inout Buffer) {
    let m = AppState.minimumSize
    let text = "Terminal too small (\(s.width)×\(s.height)). Please enlarge it to at least \(m.width)×\(m.height); 80×24 is the design size. q quits."
    let lines = wrap(text, width: s.width)
    let top = max(0, (s.height - lines.count) / 2)
    for (i, line) in lines.prefix(s.height).enumerated() {
        b.setString(x: max(0, (s.width - line.count) / 2), y: top + i, line, style: .bold)
    }
}

private func renderTabs(_ s: AppState, _ area: Rect, into b: inout Buffer) {
    b.fill(area, with: Cell(" ", style: .plain))
    let stops = ScreenLayout.tabStops(width: area.width)
    for stop in stops {
        let focused = stop.pane == s.focus && !s.showHelp
        let style = focused ? Style(fg: Theme.accent, [.reverse, .bold]) : Style(.dim)
        b.setString(x: area.x + stop.x, y: area.y, " \(stop.label) ", style: style, maxWidth: max(0, area.right - stop.x))
    }
    // The mark at the right, shortened (never over a tab) when the tabs leave it little room.
    let free = area.right - 1 - (stops.last.map { $0.x + $0.width + 1 } ?? 0)
    let state = s.showHelp ? "Help" : s.zoomed ? "zoom" : nil
    let candidates = [state.map { $0 + " · M2AE" }, state, "M2AE"].compactMap { $0 }
    if let right = candidates.first(where: { $0.count <= free }) {
        b.setString(x: area.right - right.count - 1, y: area.y, right, style: .bold)
    }
}

/// The function bar (generated from `KeyMap`) or, during a demo, the caption.
private func renderBar(_ s: AppState, _ area: Rect, into b: inout Buffer) {
    if s.caption != nil {
        b.fill(area, with: Cell(" ", style: Style(fg: .black, bg: .yellow)))
        for (i, line) in ScreenLayout.captionLines(s.caption, width: area.width).prefix(area.height).enumerated() {
            b.setString(x: area.x + 1, y: area.y + i, line, style: Style(fg: .black, bg: .yellow, .bold), maxWidth: area.width - 2)
        }
        return
    }
    var x = area.x
    for k in KeyMap.bar(for: s.focus) {
        guard let label = k.bar, let key = k.keys.first else { continue }
        let keyText = key.description
        guard x + keyText.count + label.count + 1 <= area.right else { break }
        x = b.setString(x: x, y: area.y, keyText, style: .bold)
        x = b.setString(x: x, y: area.y, label + " ", style: Style(fg: .black, bg: Theme.accent))
        x += 1
    }
}

private func renderStatus(_ s: AppState, _ area: Rect, into b: inout Buffer) {
    b.fill(area, with: Cell(" ", style: .reverse))
    var left = " \(s.storeName) · \(grouped(s.records.count)) seg · model \(s.modelName ?? "none") · mode \(modeTitle(s.mode))"
    if !s.running.isEmpty { left += " · ⟳ " + s.running.sorted().map(\.rawValue).joined(separator: " ") }
    // A message wins over the summary: the summary is cut to leave it room.
    let message = s.message.map { " │ " + $0 } ?? ""
    let x = b.setString(x: area.x, y: area.y, fit(left, max(area.width / 3, area.width - message.count)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression),
                        style: .reverse, maxWidth: area.width)
    if !message.isEmpty {
        b.setString(x: x, y: area.y, message, style: Style(fg: .yellow, [.reverse, .bold]), maxWidth: area.right - x)
    }
}

/// The buffer with every colour reset to the default (`NO_COLOR`); attributes stay.
private func withoutColor(_ b: Buffer) -> Buffer {
    var out = b
    for y in b.area.y..<b.area.bottom {
        for x in b.area.x..<b.area.right {
            var c = b[x, y]
            c.fg = .default; c.bg = .default
            out[x, y] = c
        }
    }
    return out
}
