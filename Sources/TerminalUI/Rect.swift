// MARK: - Rect

/// A rectangle of cells: origin (x, y) at the top left, size width × height.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }

    /// A rect at the origin.
    public init(width: Int, height: Int) { self.init(x: 0, y: 0, width: width, height: height) }

    /// Number of cells.
    public var area: Int { width * height }
    /// One past the right-most column.
    public var right: Int { x + width }
    /// One past the bottom row.
    public var bottom: Int { y + height }
    /// True when the rect holds no cells.
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// True when (px, py) lies inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < right && py >= y && py < bottom }

    /// The rect shrunk by `margin` cells on every side (never negative).
    public func inset(_ margin: Int) -> Rect {
        Rect(x: x + margin, y: y + margin, width: width - 2 * margin, height: height - 2 * margin)
    }

    /// The overlap of two rects (empty when they do not overlap).
    public func intersection(_ o: Rect) -> Rect {
        let x0 = max(x, o.x), y0 = max(y, o.y)
        return Rect(x: x0, y: y0, width: min(right, o.right) - x0, height: min(bottom, o.bottom) - y0)
    }

    public var description: String { "Rect(x: \(x), y: \(y), width: \(width), height: \(height))" }
}
