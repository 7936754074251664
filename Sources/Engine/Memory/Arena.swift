// MARK: - Arena: one allocation, named views

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
