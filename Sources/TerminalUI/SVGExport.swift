import Foundation

// MARK: - SVG export

extension Buffer {
    /// The buffer as a standalone SVG figure: one monospaced text run per row and style,
    /// background rectangles where a cell has a background colour or is reversed.
    /// - Parameters:
    ///   - cellWidth: width of one cell in px; rows are `2 × cellWidth` high.
    ///   - colors: false draws everything in the foreground colour (for `NO_COLOR`).
    public func svg(cellWidth: Double = 8.4, colors: Bool = true) -> String {
        let ch = cellWidth * 2
        let w = Double(area.width) * cellWidth, h = Double(area.height) * ch
        let paper = "#ffffff", ink = "#202020"
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(w))" height="\(fmt(h))" viewBox="0 0 \(fmt(w)) \(fmt(h))">
        <rect width="100%" height="100%" fill="\(paper)"/>
        <g font-family="DejaVu Sans Mono, Menlo, monospace" font-size="\(fmt(cellWidth * 1.6))" xml:space="preserve">

        """
        for row in 0..<area.height {
            var col = 0
            while col < area.width {
                let cell = cells[row * area.width + col]
                // A run of cells with the same style.
                var end = col + 1
                while end < area.width, cells[row * area.width + end].style == cell.style { end += 1 }
                let text = String(cells[(row * area.width + col)..<(row * area.width + end)].map(\.symbol))
                var fg = colors ? cell.fg.hex(fallback: ink) : ink
                var bg = colors ? cell.bg.hex(fallback: paper) : paper
                if cell.attributes.contains(.reverse) { swap(&fg, &bg) }
                if bg != paper {
                    out += "<rect x=\"\(fmt(Double(col) * cellWidth))\" y=\"\(fmt(Double(row) * ch))\" width=\"\(fmt(Double(end - col) * cellWidth))\" height=\"\(fmt(ch))\" fill=\"\(bg)\"/>\n"
                }
                if text.contains(where: { $0 != " " }) {
                    let weight = cell.attributes.contains(.bold) ? " font-weight=\"bold\"" : ""
                    let opacity = cell.attributes.contains(.dim) ? " fill-opacity=\"0.6\"" : ""
                    out += "<text x=\"\(fmt(Double(col) * cellWidth))\" y=\"\(fmt(Double(row) * ch + ch * 0.75))\" fill=\"\(fg)\"\(weight)\(opacity) textLength=\"\(fmt(Double(end - col) * cellWidth))\">\(Self.escape(text))</text>\n"
                }
                col = end
            }
        }
        return out + "</g>\n</svg>\n"
    }

    private func fmt(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
