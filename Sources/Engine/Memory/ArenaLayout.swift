// MARK: - Arena layout: a size table turned into aligned offsets

/// Where each named tensor lives inside an arena: a size table turned into offsets.
///
/// Every view starts on a 64-byte boundary (its offset is a multiple of 16 floats); the
/// padding between views is part of the flat buffer, zero-initialised, and stays zero under
/// AdamW (zero gradient, zero parameter). `totalCount` includes that padding, so one loop
/// over `totalCount` floats covers every view.
public struct ArenaLayout: Sendable, Equatable {
    /// Floats per 64-byte alignment unit.
    public static let alignmentFloats = 16

    /// The view names in table order.
    public let names: [String]
    /// Element count of each view (without padding), in table order.
    public let counts: [Int]
    /// Offset in floats of each view from the arena's base, in table order.
    public let offsets: [Int]
    /// Floats in the whole arena, padding included.
    public let totalCount: Int
    private let slots: [String: Int]

    /// Builds a layout from a size table of (name, element count) pairs.
    /// - Throws: `ArenaError` for a duplicate or empty name or a negative count.
    public init(_ table: [(name: String, count: Int)]) throws {
        var slots: [String: Int] = [:]
        var offsets: [Int] = []
        var cursor = 0
        for (i, entry) in table.enumerated() {
            guard !entry.name.isEmpty else { throw ArenaError(description: "arena size table: entry \(i) has an empty name") }
            guard entry.count >= 0 else {
                throw ArenaError(description: "arena size table: '\(entry.name)' has a negative count \(entry.count)")
            }
            guard slots[entry.name] == nil else {
                throw ArenaError(description: "arena size table: '\(entry.name)' appears twice")
            }
            slots[entry.name] = i
            offsets.append(cursor)
            let a = Self.alignmentFloats
            cursor += (entry.count + a - 1) / a * a
        }
        self.names = table.map(\.name)
        self.counts = table.map(\.count)
        self.offsets = offsets
        self.totalCount = cursor
        self.slots = slots
    }

    /// The (offset, count) of a named view, or nil when the table has no such name.
    public func slot(_ name: String) -> (offset: Int, count: Int)? {
        slots[name].map { (offsets[$0], counts[$0]) }
    }
}
