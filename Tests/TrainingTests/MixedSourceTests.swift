import Foundation
import Testing
import TestSupport
@testable import Training

/// Several sources with mixing weights: each source's share of an epoch follows its weight,
/// subjects stay distinct, validation sees every segment once, and a run trains on the mix.
struct MixedSourceTests {
    /// Segments per component drawn in one pass over the training blocks.
    static func drawn(_ m: MixedSource, split: (Int) -> Bool = { _ in true }) throws -> [Int] {
        var counts = [0, 0]
        for k in 0..<m.blockCount {
            for s in try m.block(k, keep: split) { counts[s.subject < 40 ? 0 : 1] += 1 }
        }
        return counts
    }

    @Test func weightsSetEachSourcesShare() throws {
        let big = TestSource(subjects: 40, perSubject: 6), small = TestSource(subjects: 8, perSubject: 3)  // 240 and 24 segments
        let m = try MixedSource([big, small], weights: [1, 1])
        #expect(m.subjectCount == 48 && m.weights == [0.5, 0.5])
        #expect(abs(m.factors[0] - 0.55) < 1e-12 && abs(m.factors[1] - 5.5) < 1e-12)
        let counts = try Self.drawn(m)
        print("drawn per source with weights 0.5/0.5: \(counts)")
        #expect(abs(Double(counts[0]) - 132) <= 20 && counts[1] >= 5 * 24 && counts[1] <= 6 * 24)
        #expect(try m.usableSegmentsPerSubject().reduce(0, +) == 40 * 3 + 8 * 17)
        // Deterministic: the same block gives the same segments.
        #expect(try m.block(3) { _ in true }.map(\.ecg) == m.block(3) { _ in true }.map(\.ecg))
        // Without weights given explicitly, proportional weights are plain concatenation.
        let plain = try MixedSource([big, small], weights: [240, 24])
        #expect(try Self.drawn(plain) == [240, 24])
    }

    @Test func subjectsAreOffsetAndValidationSeesEachSegmentOnce() throws {
        let a = TestSource(subjects: 40, perSubject: 2), b = TestSource(subjects: 8, perSubject: 2)
        let m = try MixedSource([a, b], weights: [0.2, 0.8])
        let subjects = Set(try (0..<m.blockCount).flatMap { try m.validationBlock($0) { _ in true }.map(\.subject) })
        #expect(subjects == Set(0..<48))
        let once = try (0..<m.blockCount).map { try m.validationBlock($0) { $0 == 41 }.count }.reduce(0, +)
        #expect(once == 2)
        // Blocks interleave, so the first blocks already hold both sources.
        #expect(Set(try (0..<2).flatMap { try m.validationBlock($0) { _ in true }.map { $0.subject < 40 } }) == [true, false])
    }

    @Test func badWeightsAreOneLine() {
        let a = TestSource(subjects: 8, perSubject: 2)
        #expect(throws: TrainingDataError.self) { try MixedSource([a, a], weights: [1]) }
        #expect(throws: TrainingDataError.self) { try MixedSource([a, a], weights: [1, 0]) }
        #expect(throws: TrainingDataError.self) { try MixedSource([a], weights: [.nan]) }
    }

    @Test func aRunTrainsOnAMix() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-mix")
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try MixedSource([TestSource(subjects: 24, perSubject: 4), TestSource(subjects: 8, perSubject: 2)], weights: [0.7, 0.3])
        let run = try TrainingRun(source: m, settings: TrainingRunTests.settings(dir, epochs: 1), config: .tiny, resume: false)
        #expect(try run.run(onEvent: { _ in }, shouldStop: { false }) == .finished)
        #expect(run.state.step == run.state.stepsPerEpoch && run.state.step > 0)
        #expect(run.validationSegments > 0)
    }
}
