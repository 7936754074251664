// MARK: - Arena: one allocation, named views

/// A bad arena size table (duplicate or empty name, negative count).
public struct ArenaError: Error, CustomStringConvertible {
    /// What is wrong with the table.
    public var description: String
}

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

/// One 64-byte-aligned, zero-initialised allocation of floats carved into named views.
///
/// Parameters, gradients, AdamW's m and v, and activations each live in one arena; arenas
/// built from the same `ArenaLayout` line up element for element, so the optimiser runs one
/// loop over `count` floats of all four.
public final class Arena: @unchecked Sendable {
    /// The size table this arena was built from.
    public let layout: ArenaLayout
    /// The first float of the allocation.
    public let base: UnsafeMutablePointer<Float>
    /// Floats in the allocation (padding included).
    public var count: Int { layout.totalCount }

    /// Allocates and zeroes an arena for `layout`.
    public init(layout: ArenaLayout) {
        self.layout = layout
        let bytes = max(layout.totalCount, 1) * MemoryLayout<Float>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(layout.totalCount, 1))
        base.initialize(repeating: 0, count: max(layout.totalCount, 1))
    }

    /// Allocates an arena straight from a size table.
    /// - Throws: `ArenaError` for a bad table.
    public convenience init(_ table: [(name: String, count: Int)]) throws {
        self.init(layout: try ArenaLayout(table))
    }

    deinit { base.deallocate() }

    /// The start of a named view; traps with the name when the table has no such view
    /// (a programming error, like an out-of-range subscript).
    public subscript(name: String) -> UnsafeMutablePointer<Float> {
        guard let slot = layout.slot(name) else { preconditionFailure("Arena has no view named '\(name)' (views: \(layout.names.joined(separator: ", ")))") }
        return base + slot.offset
    }

    /// A named view as a buffer of exactly its element count.
    public func view(_ name: String) -> UnsafeMutableBufferPointer<Float> {
        guard let slot = layout.slot(name) else { preconditionFailure("Arena has no view named '\(name)' (views: \(layout.names.joined(separator: ", ")))") }
        return UnsafeMutableBufferPointer(start: base + slot.offset, count: slot.count)
    }

    /// Sets every float (views and padding) to zero: one memset, as `zeroGrad` needs.
    public func zero() {
        base.update(repeating: 0, count: max(layout.totalCount, 1))
    }
}
