import Support

/// The fixed subject-level split used when `m2ae evaluate` gets one store: subjects are
/// shuffled with a fixed seed and the first 20 % (at least one) are held out for testing.
public struct SubjectSplit: Sendable, Codable {
    /// Subject indices of each side, ascending.
    public var train: [Int]
    public var test: [Int]
    public var seed: UInt64
    public var testFraction: Double

    /// Fewest subjects that leave two training folds and one test subject.
    public static let minimumSubjects = 3

    /// Splits subjects 0..<count.
    /// - Throws: when there are fewer than `minimumSubjects` subjects.
    public init(subjects count: Int, testFraction: Double = 0.2, seed: UInt64 = 2024) throws {
        guard count >= Self.minimumSubjects else {
            throw AnalyticsError("too few subjects (\(count)) for a subject-level split: at least \(Self.minimumSubjects) are needed (2 to train, 1 to test)")
        }
        var order = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i + 1)) }
        let nTest = min(count - 2, max(1, Int((Double(count) * testFraction).rounded())))
        test = order.prefix(nTest).sorted(); train = order.dropFirst(nTest).sorted()
        self.seed = seed; self.testFraction = testFraction
    }
}
