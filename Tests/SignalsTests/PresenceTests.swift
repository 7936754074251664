import Signals
import Testing

/// The one "is this modality present" rule: not flagged absent, and a finite sample.
@Suite struct PresenceTests {
    @Test func nonFiniteSamplesAreMissing() {
        #expect(Modality.isPresent([0, 1, 2], flags: []))
        #expect(Modality.isPresent([.nan, .infinity, 0.5], flags: [.noisy]))
        #expect(!Modality.isPresent([.nan, .nan], flags: []))
        #expect(!Modality.isPresent([.infinity, -.infinity, .nan], flags: []))
        #expect(!Modality.isPresent([Float](), flags: []))
        #expect(!Modality.isPresent([0, 1, 2], flags: [.absent]))
    }

    /// The rule agrees with the quality check, which flags `.absent` exactly when no sample is finite.
    @Test func agreesWithTheQualityCheck() {
        for x: [Float] in [[.infinity, -.infinity], [.nan, .infinity], Array(repeating: 1, count: 1250)] {
            let flags = QualityCheck.assess(x, rate: 125, modality: .ecg)
            #expect(flags.contains(.absent) == !x.contains { $0.isFinite })
            #expect(Modality.isPresent(x, flags: flags) == x.contains { $0.isFinite })
        }
    }
}
