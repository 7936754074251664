// MARK: - Colours and attributes

/// One of the eight ANSI terminal colours, or the terminal's default.
public enum Color: Int, Sendable, Hashable, CaseIterable {
    case `default` = -1, black = 0, red, green, yellow, blue, magenta, cyan, white

    /// The colour as a CSS hex string, for SVG export (`default` maps to `fallback`).
    public func hex(fallback: String) -> String {
        switch self {
        case .default: return fallback
        case .black: return "#1e1e1e"
        case .red: return "#d9534f"
        case .green: return "#4caf50"
        case .yellow: return "#e0b020"
        case .blue: return "#3a7bd5"
        case .magenta: return "#b05fc0"
        case .cyan: return "#20a8b8"
        case .white: return "#e8e8e8"
        }
    }
}

/// Text attributes of a cell.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
}

/// A foreground colour, background colour and attributes applied together.
public struct Style: Sendable, Hashable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, _ attributes: Attributes = []) {
        self.fg = fg; self.bg = bg; self.attributes = attributes
    }

    /// The plain style: default colours, no attributes.
    public static let plain = Style()
    /// Bold text in the default colours.
    public static let bold = Style(.bold)
    /// Dim text in the default colours.
    public static let dim = Style(.dim)
    /// Reverse video (selection highlight).
    public static let reverse = Style(.reverse)

    /// Shorthand for attributes only.
    public init(_ attributes: Attributes) { self.init(fg: .default, bg: .default, attributes) }
}
