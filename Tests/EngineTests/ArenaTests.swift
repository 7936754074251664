import Testing
@testable import Engine

@Test func arenaViewsAreAlignedDisjointAndZeroed() throws {
    let arena = try Arena([("wte", 25 * 128), ("ln.weight", 128), ("odd", 3), ("empty", 0), ("tail", 17)])
    var previousEnd = 0
    for name in arena.layout.names {
        let slot = try #require(arena.layout.slot(name))
        #expect(slot.offset >= previousEnd, "\(name) overlaps the view before it")
        previousEnd = slot.offset + slot.count
        #expect(UInt(bitPattern: arena[name]) % 64 == 0, "\(name) is not 64-byte aligned")
        #expect(arena.view(name).count == slot.count)
    }
    #expect(arena.count >= previousEnd && arena.count % ArenaLayout.alignmentFloats == 0)
    #expect(UnsafeBufferPointer(start: arena.base, count: arena.count).allSatisfy { $0 == 0 })
    // writes through one view land in the flat buffer at its offset, and zero() clears them
    arena["odd"][2] = 7
    #expect(arena.base[try #require(arena.layout.slot("odd")).offset + 2] == 7)
    arena.zero()
    #expect(arena["odd"][2] == 0)
}

@Test func arenasFromOneLayoutLineUp() throws {
    let layout = try ArenaLayout([("a", 10), ("b", 40)])
    let params = Arena(layout: layout), grads = Arena(layout: layout)
    #expect(params.count == grads.count)
    #expect(params["b"] - params.base == grads["b"] - grads.base)
}

@Test func arenaRejectsBadSizeTables() {
    #expect(throws: ArenaError.self) { try ArenaLayout([("a", 1), ("a", 2)]) }
    #expect(throws: ArenaError.self) { try ArenaLayout([("a", -1)]) }
    #expect(throws: ArenaError.self) { try ArenaLayout([("", 1)]) }
    let message = (try? ArenaLayout([("w", 1), ("w", 1)])).map { _ in "" } ?? {
        do { _ = try ArenaLayout([("w", 1), ("w", 1)]); return "" } catch { return "\(error)" }
    }()
    #expect(message.contains("'w' appears twice"))
}
