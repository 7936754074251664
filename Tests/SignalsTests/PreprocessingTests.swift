import Foundation
import Testing
@testable import Signals

// MARK: - Model input preparation

@Suite struct PreprocessingTests {
    @Test(arguments: Modality.allCases)
    func zScoredAndBandLimited(modality: Modality) {
        let x = SignalFixtures.mixture(count: 1250, rate: 125).map { $0 * 300 + 40 }
        let y = Preprocessing.prepare(x, modality: modality)
        let v = y.map(Double.init)
        #expect(abs(SignalMath.mean(v)) < 1e-5)
        #expect(abs(SignalMath.std(v) - 1) < 1e-5)
        // The same as band-pass then z-score done by hand.
        let (low, high) = Preprocessing.band(for: modality)
        let f = Filters.bandpass(x, rate: 125, low: low, high: high).map(Double.init)
        let m = SignalMath.mean(f), s = SignalMath.std(f)
        #expect(zip(v, f).allSatisfy { abs($0 - ($1 - m) / s) < 1e-4 })
    }

    @Test func flatAndMissingGiveZeros() {
        #expect(Preprocessing.prepare([Float](repeating: 3.7, count: 1250), modality: .ecg) == [Float](repeating: 0, count: 1250))
        #expect(Preprocessing.prepare([Float](repeating: 0, count: 1250), modality: .ppg) == [Float](repeating: 0, count: 1250))
        #expect(Preprocessing.prepare([Float](repeating: .nan, count: 1250), modality: .ppg) == [Float](repeating: 0, count: 1250))
        #expect(Preprocessing.prepare([], modality: .ecg).isEmpty)
    }

    @Test func nanSamplesAreFilledBeforeFiltering() {
        var x = SignalFixtures.mixture(count: 1250, rate: 125)
        for i in 300..<340 { x[i] = .nan }
        x[0] = .nan
        let y = Preprocessing.prepare(x, modality: .ecg)
        #expect(y.allSatisfy { $0.isFinite })
        #expect(abs(SignalMath.std(y.map(Double.init)) - 1) < 1e-5)
    }
}
