import Model
import Support

/// The subject-level train/validation split: a seeded permutation of the subjects, the first
/// `max(1, round(fraction·S))` of which are validation subjects. Segments of one subject never
/// straddle the two sets.
public struct SubjectSplit: Sendable, Equatable {
    /// true for validation subjects, indexed by subject.
    public let isValidation: [Bool]
    public var validationCount: Int { isValidation.filter { $0 }.count }
    public var trainingCount: Int { isValidation.count - validationCount }

    /// The fewest subjects that can be split (one or more for validation, two or more for training).
    public static let minimumSubjects = 4

    /// Splits `subjects` subjects; `usable` (per subject) must leave segments on both sides.
    /// - Throws: `TrainingDataError` naming `source` when there are too few subjects.
    public init(subjects: Int, usable: [Int], validationFraction: Double, seed: UInt64, source: String) throws {
        let withData = (0..<subjects).filter { usable[$0] > 0 }
        guard withData.count >= Self.minimumSubjects else {
            throw TrainingDataError("\(source): \(withData.count) subject(s) with usable segments are too few to split into training and validation (need at least \(Self.minimumSubjects))")
        }
        var rng = SplitMix64(state: seed ^ 0x5157_11D5)
        let order = withData.shuffled(using: &rng)
        let nVal = min(max(1, Int((validationFraction * Double(withData.count)).rounded())), withData.count - 2)
        var v = [Bool](repeating: false, count: subjects)
        for s in order.prefix(nVal) { v[s] = true }
        isValidation = v
    }
}
