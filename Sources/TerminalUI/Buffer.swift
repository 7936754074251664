// MARK: - Buffer

/// A screen's worth of cells: a `Rect` plus a flat row-major array of `Cell`s.
///
/// `cells.count == area.width * area.height` always. Positions are absolute (they include
/// `area.x`/`area.y`), so a buffer for a sub-area can be compared with one for the screen.
/// Every symbol is taken to be one column wide; the workbench draws only such symbols
/// (ASCII, box drawing, block elements, braille).
public struct Buffer: Sendable, Equatable, CustomStringConvertible {
    /// The area the buffer covers.
    public private(set) var area: Rect
    /// The cells, row-major: (area.height, area.width).
    public private(set) var cells: [Cell]

    /// A buffer of `area` filled with `fill`.
    public init(area: Rect, fill: Cell = .empty) {
        self.area = area
        cells = Array(repeating: fill, count: area.area)
    }

    /// A buffer at the origin whose rows are `lines` (padded with spaces to the widest line).
    public init(lines: [String]) {
        let width = lines.map(\.count).max() ?? 0
        self.init(area: Rect(width: width, height: lines.count))
        for (row, line) in lines.enumerated() { setString(x: 0, y: row, line) }
    }

    // MARK: - Indexing

    /// The flat index of (x, y), or nil when outside the area.
    public func index(x: Int, y: Int) -> Int? {
        guard area.contains(x: x, y: y) else { return nil }
        return (y - area.y) * area.width + (x - area.x)
    }

    /// The position of flat index `i`.
    public func position(of i: Int) -> (x: Int, y: Int) {
        (area.x + i % max(area.width, 1), area.y + i / max(area.width, 1))
    }

    /// The cell at (x, y), or nil when outside the area.
    public func cell(x: Int, y: Int) -> Cell? { index(x: x, y: y).map { cells[$0] } }

    /// The cell at (x, y); traps with the area and position when outside it.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard let i = index(x: x, y: y) else { preconditionFailure("position (\(x), \(y)) outside \(area)") }
            return cells[i]
        }
        set {
            guard let i = index(x: x, y: y) else { preconditionFailure("position (\(x), \(y)) outside \(area)") }
            cells[i] = newValue
        }
    }

    // MARK: - Drawing

    /// Sets the cell at (x, y) if it is inside the area; does nothing otherwise.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        if let i = index(x: x, y: y) { cells[i] = cell }
    }

    /// Writes `text` from (x, y) rightwards in `style`, clipped to `maxWidth` columns and to
    /// the area. Returns the column after the last character written.
    @discardableResult
    public mutating func setString(x: Int, y: Int, _ text: String, style: Style = .plain, maxWidth: Int = .max) -> Int {
        guard y >= area.y, y < area.bottom else { return x }
        var col = x
        let limit = x + max(0, min(maxWidth, area.right - x))
        for ch in text {
            if col >= limit { break }
            if col >= area.x { cells[(y - area.y) * area.width + col - area.x] = Cell(ch.isNewline ? " " : ch, style: style) }
            col += 1
        }
        return col
    }

    /// Sets the style of every cell of `rect` (clipped to the area), keeping the symbols.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let r = rect.intersection(area)
        for y in r.y..<r.bottom { for x in r.x..<r.right { cells[index(x: x, y: y)!].style = style } }
    }

    /// Fills `rect` (clipped to the area) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .empty) {
        let r = rect.intersection(area)
        for y in r.y..<r.bottom { for x in r.x..<r.right { cells[index(x: x, y: y)!] = cell } }
    }

    /// Resets every cell to blank.
    public mutating func reset() { cells = Array(repeating: .empty, count: area.area) }

    // MARK: - Diff

    /// The cells that differ from `previous`, as (x, y, cell) updates to send to a terminal.
    /// When the areas differ every cell is returned (a full redraw).
    /// - Complexity: O(width × height).
    public func diff(from previous: Buffer) -> [(x: Int, y: Int, cell: Cell)] {
        var updates: [(x: Int, y: Int, cell: Cell)] = []
        let full = previous.area != area
        for i in 0..<cells.count where full || cells[i] != previous.cells[i] {
            let p = position(of: i)
            updates.append((p.x, p.y, cells[i]))
        }
        return updates
    }

    // MARK: - Text

    /// The rows as plain strings (symbols only).
    public var lines: [String] {
        (0..<area.height).map { row in
            String(cells[(row * area.width)..<((row + 1) * area.width)].map(\.symbol))
        }
    }

    /// The rows as quoted lines, one per line, so test failures are easy to read.
    public var description: String {
        "Buffer(\(area)):\n" + lines.map { "\"\($0)\"" }.joined(separator: "\n")
    }
}
