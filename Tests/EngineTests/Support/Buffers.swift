// MARK: - Owned raw buffers for calling the engine from tests

/// An owned float buffer that hands the engine raw pointers and reads back as an array.
final class FloatBuffer {
    let count: Int
    let ptr: UnsafeMutablePointer<Float>

    init(_ values: [Float]) {
        count = values.count
        ptr = .allocate(capacity: max(count, 1))
        ptr.initialize(repeating: 0, count: max(count, 1))
        for i in 0..<count { ptr[i] = values[i] }
    }

    convenience init(zeros count: Int) { self.init([Float](repeating: 0, count: count)) }
    convenience init(repeating value: Float, count: Int) { self.init([Float](repeating: value, count: count)) }

    deinit { ptr.deallocate() }

    var p: UnsafePointer<Float> { UnsafePointer(ptr) }
    var values: [Float] { Array(UnsafeBufferPointer(start: ptr, count: count)) }
}

/// An owned Int32 buffer (offsets, indices, positions).
final class IndexBuffer {
    let count: Int
    let ptr: UnsafeMutablePointer<Int32>

    init(_ values: [Int32]) {
        count = values.count
        ptr = .allocate(capacity: max(count, 1))
        ptr.initialize(repeating: 0, count: max(count, 1))
        for i in 0..<count { ptr[i] = values[i] }
    }

    deinit { ptr.deallocate() }

    var p: UnsafePointer<Int32> { UnsafePointer(ptr) }
}

/// Deterministic pseudo-random floats for tests (xorshift64*, uniform in [-scale, scale)).
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next() -> Float {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        let bits = (state &* 0x2545_F491_4F6C_DD1D) >> 40
        return Float(bits) / Float(1 << 24) * 2 - 1
    }

    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in next() * scale }
    }
}

/// `count` deterministic pseudo-random floats in [-1, 1) from `seed`.
func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var rng = TestRandom(seed: seed)
    return rng.floats(count)
}
