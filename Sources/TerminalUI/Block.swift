// MARK: - Block

/// A bordered box with an optional title, the frame around every pane.
public struct Block: Sendable {
    public var title: String
    public var style: Style
    public var titleStyle: Style

    public init(title: String = "", style: Style = .plain, titleStyle: Style = .bold) {
        self.title = title; self.style = style; self.titleStyle = titleStyle
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(1) }

    /// Draws the border and title inside `area` (a title too long for it ends in "…") and
    /// returns the inner area.
    @discardableResult
    public func render(_ area: Rect, into buffer: inout Buffer) -> Rect {
        guard area.width >= 2, area.height >= 2 else { return Rect(x: area.x, y: area.y, width: 0, height: 0) }
        let r = area.right - 1, b = area.bottom - 1
        for x in area.x...r {
            buffer.set(x: x, y: area.y, Cell("─", style: style))
            buffer.set(x: x, y: b, Cell("─", style: style))
        }
        for y in area.y...b {
            buffer.set(x: area.x, y: y, Cell("│", style: style))
            buffer.set(x: r, y: y, Cell("│", style: style))
        }
        buffer.set(x: area.x, y: area.y, Cell("┌", style: style))
        buffer.set(x: r, y: area.y, Cell("┐", style: style))
        buffer.set(x: area.x, y: b, Cell("└", style: style))
        buffer.set(x: r, y: b, Cell("┘", style: style))
        if !title.isEmpty, area.width > 4 {
            // A title longer than the border ends in "…" rather than being cut mid-word silently.
            let room = area.width - 4
            let shown = title.count <= room ? title : String(title.prefix(room - 1)) + "…"
            buffer.setString(x: area.x + 1, y: area.y, " \(shown) ", style: titleStyle, maxWidth: area.width - 2)
        }
        return inner(area)
    }
}
