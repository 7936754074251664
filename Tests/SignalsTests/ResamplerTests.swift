import Foundation
import Testing
import TestSupport
@testable import Signals

// MARK: - Polyphase resampling against scipy.signal.resample_poly

@Suite struct ResamplerTests {
    @Test(arguments: [(250.0, 125.0), (500.0, 125.0), (100.0, 125.0), (360.0, 125.0), (128.0, 125.0)])
    func matchesScipyResamplePoly(from: Double, to: Double) throws {
        if let reason = SignalFixtures.scipyMissing() { print(reason); return }
        let x = SignalFixtures.mixture(count: Int(from * 10), rate: from)
        let (up, down) = Resampler.ratio(from: from, to: to)
        let dir = try TestSupport.temporaryFolder("signals-resample")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("x.f32"), output = dir.appendingPathComponent("y.f64")
        try SignalFixtures.write(x, to: input)
        _ = try Python.script("reference/signals_oracle.py", ["resample", input.path, output.path, "\(up)", "\(down)"])
        let expected = try SignalFixtures.readDoubles(output)
        let y = Resampler.resample(x, from: from, to: to)
        #expect(y.count == expected.count)
        guard y.count == expected.count else { return }
        let diff = SignalFixtures.maxDifference(y, expected)
        print("resample \(from)→\(to) (\(up)/\(down)): max |Δ| = \(diff)")
        #expect(diff <= 1e-5)
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
    }
}
