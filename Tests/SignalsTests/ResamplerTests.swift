import Foundation
import Testing
import TestSupport
@testable import Signals

// MARK: - Polyphase resampling against scipy.signal.resample_poly

@Suite struct ResamplerTests {
    @Test func matchesScipyResamplePoly() throws {
        if let reason = SignalFixtures.scipyMissing() { print(reason); return }
        let pairs: [(Double, Double)] = [(250, 125), (500, 125), (100, 125), (360, 125), (128, 125)]
        let inputs = pairs.map { SignalFixtures.mixture(count: Int($0.0 * 10), rate: $0.0) }
        let ratios = pairs.map { Resampler.ratio(from: $0.0, to: $0.1) }
        let expected = try SignalFixtures.oracle(zip(inputs, ratios).map { x, r in
            (x, ["resample", "IN", "OUT", "\(r.up)", "\(r.down)"])
        })
        for (k, (from, to)) in pairs.enumerated() {
            let y = Resampler.resample(inputs[k], from: from, to: to)
            #expect(y.count == expected[k].count, "\(from)→\(to)")
            guard y.count == expected[k].count else { continue }
            let diff = SignalFixtures.maxDifference(y, expected[k])
            print("resample \(from)→\(to) (\(ratios[k].up)/\(ratios[k].down)): max |Δ| = \(diff)")
            #expect(diff <= 1e-5, "\(from)→\(to)")
        }
    }

    @Test func ratios() {
        #expect(Resampler.ratio(from: 250, to: 125) == (1, 2))
        #expect(Resampler.ratio(from: 360, to: 125) == (25, 72))
        #expect(Resampler.ratio(from: 128, to: 125) == (125, 128))
        let (up, down) = Resampler.ratio(from: 62.4725, to: 125)
        #expect(up <= Resampler.maxFactor && down <= Resampler.maxFactor)
        #expect(abs(Double(up) / Double(down) / (125 / 62.4725) - 1) < 1e-5)
    }

    @Test(arguments: [250.0, 500.0, 100.0, 360.0, 128.0])
    func toneBelowNyquistKeptAboveRemoved(from: Double) {
        let n = Int(from * 10)
        // 20 Hz is inside the new band (Nyquist 62.5 Hz): amplitude kept.
        let kept = Resampler.resample(SignalFixtures.tone(20, count: n, rate: from), from: from, to: 125)
        #expect(kept.count == 1250)
        #expect(abs(SignalFixtures.rms(kept, 125..<1125) - 0.5.squareRoot()) < 0.01)
        // A tone above the new Nyquist (and below the old one) must not alias back in.
        guard from / 2 > 75 else { return }
        let above = min(from / 2 - 5, 90)
        let removed = Resampler.resample(SignalFixtures.tone(above, count: n, rate: from), from: from, to: 125)
        #expect(SignalFixtures.rms(removed, 125..<1125) < 0.01)
    }

    @Test func nanRunStaysANaNRunOfTheSameDuration() {
        var x = SignalFixtures.mixture(count: 2500, rate: 250)
        for i in 1000..<1100 { x[i] = .nan }          // 0.4 s at 250 Hz
        let y = Resampler.resample(x, from: 250, to: 125)
        let nanIndices = y.indices.filter { y[$0].isNaN }
        #expect(nanIndices == Array(500..<550))       // the same 0.4 s at 125 Hz
        #expect(Resampler.resample([.nan, .nan, .nan, .nan], from: 250, to: 125).allSatisfy { $0.isNaN })
    }

    @Test func gapFreeFastPathEqualsTheBridgedPath() {
        // A NaN in the last sample sends the signal through gap bridging and masking; outputs
        // whose filter window does not reach that sample must equal the gap-free result exactly.
        let x = SignalFixtures.mixture(count: 2500, rate: 250)
        var gap = x
        gap[2499] = .nan
        let clean = Resampler.resample(x, from: 250, to: 125), bridged = Resampler.resample(gap, from: 250, to: 125)
        #expect(clean.count == 1250 && bridged.count == 1250)
        #expect(clean.allSatisfy { !$0.isNaN })
        #expect(Array(clean[..<1230]) == Array(bridged[..<1230]))
        #expect(bridged[1249].isNaN)
    }

    @Test func upsamplingKeepsIsolatedNaN() {
        var x = SignalFixtures.mixture(count: 1000, rate: 100)
        x[500] = .nan
        let y = Resampler.resample(x, from: 100, to: 125)
        let nans = y.indices.filter { y[$0].isNaN }
        #expect(nans == [625])
    }

    @Test func equalRatesAndEmptyInput() {
        let x = SignalFixtures.mixture(count: 100, rate: 125)
        #expect(Resampler.resample(x, from: 125, to: 125) == x)
        #expect(Resampler.resample([], from: 250, to: 125).isEmpty)
        // ±infinity is a gap at any rate: NaN out, like the NaN masking of real resampling.
        var bad = x
        bad[3] = .infinity; bad[7] = -.infinity; bad[9] = .nan
        let same = Resampler.resample(bad, from: 125, to: 125)
        #expect(same[3].isNaN && same[7].isNaN && same[9].isNaN && same[0] == x[0] && same.count == x.count)
        let down = Resampler.resample(bad, from: 250, to: 125)
        #expect(down[1...5].filter(\.isNaN).count >= 2)
        #expect(down.allSatisfy { !$0.isInfinite })
    }
}
