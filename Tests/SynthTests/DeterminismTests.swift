import Foundation
import Testing
@testable import Synth
import Store

/// The same seed gives the same bytes; another seed gives others; order does not matter.
@Suite struct DeterminismTests {
    private func bytes(_ segments: [Segment]) -> Data {
        var d = Data()
        for s in segments {
            s.ecg.withUnsafeBytes { d.append(contentsOf: $0) }
            s.ppg.withUnsafeBytes { d.append(contentsOf: $0) }
        }
        return d
    }

    @Test func sameSeedSameBytes() {
        let a = CohortGenerator(seed: 42), b = CohortGenerator(seed: 42)
        for i in [0, 7, 123] {
            #expect(a.subject(i) == b.subject(i))
            let x = a.segments(subject: i, count: 3), y = b.segments(subject: i, count: 3)
            #expect(bytes(x) == bytes(y))
            #expect(x.map(\.meta) == y.map(\.meta))
        }
    }

    @Test func differentSeedDifferentCohort() {
        let a = CohortGenerator(seed: 42), b = CohortGenerator(seed: 43)
        #expect(bytes(a.segments(subject: 0, count: 2)) != bytes(b.segments(subject: 0, count: 2)))
        let ages = (0..<20).map { (a.subject($0).physiology.age, b.subject($0).physiology.age) }
        #expect(ages.filter { $0.0 == $0.1 }.count == 0)
    }

    @Test func segmentsAreIndependentOfOrder() {
        let g = CohortGenerator(seed: 9)
        let all = g.segments(subject: 5, count: 4)
        let third = g.segment(g.subject(5), index: 3).segment
        #expect(bytes([all[3]]) == bytes([third]))
        // Subjects do not depend on which were drawn before.
        _ = g.subject(99)
        #expect(g.subject(5) == CohortGenerator(seed: 9).subject(5))
    }
}
