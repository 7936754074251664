// MARK: - Deterministic random inputs

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
