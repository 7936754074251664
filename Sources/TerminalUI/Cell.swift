// MARK: - Cell

/// One character cell of a terminal screen: a single grapheme with its colours and attributes.
///
/// An empty cell is a space in the default style; `Cell.empty == Cell(" ")`.
public struct Cell: Sendable, Hashable {
    /// The grapheme drawn in the cell (one column wide).
    public var symbol: Character
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    /// A cell holding `symbol` in `style`.
    public init(_ symbol: Character = " ", style: Style = .plain) {
        self.symbol = symbol; fg = style.fg; bg = style.bg; attributes = style.attributes
    }

    /// The blank cell.
    public static let empty = Cell()

    /// The cell's colours and attributes as a `Style`.
    public var style: Style {
        get { Style(fg: fg, bg: bg, attributes) }
        set { fg = newValue.fg; bg = newValue.bg; attributes = newValue.attributes }
    }

    /// Returns a copy with `symbol` replaced (chainable setter).
    public func with(_ symbol: Character) -> Cell { var c = self; c.symbol = symbol; return c }
    /// Returns a copy with the style replaced (chainable setter).
    public func with(style: Style) -> Cell { var c = self; c.style = style; return c }
}
