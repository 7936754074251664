import Support

// The benchmark sources' names for the project's one seeded generator, `Support.SplitMix64`.
typealias SeededGenerator = SplitMix64
typealias SeededRandom = SplitMix64
