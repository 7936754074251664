// MARK: - Layout

/// How big one part of a split should be.
public enum Constraint: Sendable, Hashable {
    /// Exactly n cells (fewer if space runs out).
    case length(Int)
    /// At least n cells; parts with `.min` share what is left equally.
    case min(Int)
    /// A percentage of the whole.
    case percentage(Int)
}

/// Splits a `Rect` into child rects along one direction. Pure: the same input always gives
/// the same rects, and the children never leave the parent.
public struct Layout: Sendable {
    /// Split direction.
    public enum Direction: Sendable { case vertical, horizontal }

    public var direction: Direction
    public var constraints: [Constraint]

    /// Rows from top to bottom.
    public static func vertical(_ c: [Constraint]) -> Layout { Layout(direction: .vertical, constraints: c) }
    /// Columns from left to right.
    public static func horizontal(_ c: [Constraint]) -> Layout { Layout(direction: .horizontal, constraints: c) }

    /// The child rects, one per constraint, in order.
    public func split(_ area: Rect) -> [Rect] {
        let total = direction == .vertical ? area.height : area.width
        var sizes = constraints.map { c -> Int in
            switch c {
            case .length(let n): return Swift.max(0, n)
            case .min(let n): return Swift.max(0, n)
            case .percentage(let p): return total * Swift.max(0, Swift.min(p, 100)) / 100
            }
        }
        // Shrink from the last part backwards when the fixed parts overflow.
        var overflow = sizes.reduce(0, +) - total
        var i = sizes.count - 1
        while overflow > 0, i >= 0 {
            let take = Swift.min(overflow, sizes[i]); sizes[i] -= take; overflow -= take; i -= 1
        }
        // Share the slack among the `.min` parts (the first ones get the remainder).
        let flexible = constraints.indices.filter { if case .min = constraints[$0] { return true } else { return false } }
        if overflow < 0, !flexible.isEmpty {
            let slack = -overflow
            for (k, j) in flexible.enumerated() { sizes[j] += slack / flexible.count + (k < slack % flexible.count ? 1 : 0) }
        }
        var offset = 0
        return sizes.map { size in
            defer { offset += size }
            return direction == .vertical
                ? Rect(x: area.x, y: area.y + offset, width: area.width, height: size)
                : Rect(x: area.x + offset, y: area.y, width: size, height: area.height)
        }
    }
}
