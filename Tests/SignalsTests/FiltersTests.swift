import Foundation
import Testing
import TestSupport
@testable import Signals

// MARK: - Butterworth band-pass against scipy

@Suite struct FiltersTests {
    /// (rate, low, high, order) cases checked against scipy.
    static let cases: [(Double, Double, Double, Int)] = [
        (125, 0.5, 40, 2), (125, 0.5, 8, 2), (100, 0.5, 40, 3), (250, 1, 30, 4), (360, 0.5, 40, 1),
    ]

    @Test func matchesScipySosfiltfilt() throws {
        if let reason = SignalFixtures.scipyMissing() { print(reason); return }
        let inputs = Self.cases.map { SignalFixtures.mixture(count: 1250, rate: $0.0) }
        let expected = try SignalFixtures.oracle(zip(Self.cases, inputs).map { c, x in
            (x, ["bandpass", "IN", "OUT", "\(c.0)", "\(c.1)", "\(c.2)", "\(c.3)"])
        })
        for ((rate, low, high, order), (x, want)) in zip(Self.cases, zip(inputs, expected)) {
            let y = Filters.bandpass(x, rate: rate, low: low, high: high, order: order)
            let scale = want.map(abs).max()!
            let diff = SignalFixtures.maxDifference(y, want)
            print("bandpass \(rate) Hz \(low)–\(high) order \(order): max |Δ| = \(diff) (scale \(scale))")
            #expect(diff <= 2e-6 * scale, "\(rate) Hz \(low)–\(high) order \(order)")
        }
    }

    @Test func frequencyResponseMatchesScipyDesign() throws {
        if let reason = SignalFixtures.scipyMissing() { print(reason); return }
        let flat = try SignalFixtures.oracle([(nil, ["sos", "OUT", "125", "0.5", "40", "3"])])[0]
        let theirs = stride(from: 0, to: flat.count, by: 6).map { Array(flat[$0..<($0 + 6)]) }
        let ours = Filters.butterworth(rate: 125, low: 0.5, high: 40, order: 3)
        #expect(ours.count == theirs.count)
        for f in [0.1, 0.5, 1, 5, 20, 40, 50, 60] {
            let a = magnitude(ours, at: f, rate: 125), b = magnitude(theirs, at: f, rate: 125)
            #expect(abs(a - b) <= 1e-9 * max(1, b), "at \(f) Hz: \(a) vs \(b)")
        }
        // −3 dB at both band edges, as a Butterworth design must be.
        #expect(abs(magnitude(ours, at: 0.5, rate: 125) - 0.5.squareRoot()) < 1e-9)
        #expect(abs(magnitude(ours, at: 40, rate: 125) - 0.5.squareRoot()) < 1e-9)
    }

    @Test func lowAndHighPassDegenerateCases() {
        let rate = 125.0
        // high at Nyquist: a high-pass, which removes the DC offset and keeps a 20 Hz tone.
        let x = SignalFixtures.tone(20, count: 1250, rate: rate).map { $0 + 5 }
        let hp = Filters.bandpass(x, rate: rate, low: 0.5, high: 62.5)
        #expect(abs(SignalFixtures.rms(hp, 200..<1050) - 0.5.squareRoot()) < 0.01)
        // low of 0: a low-pass that removes the 20 Hz tone and keeps the offset.
        let lp = Filters.bandpass(x, rate: rate, low: 0, high: 5)
        #expect(lp[200..<1050].allSatisfy { abs($0 - 5) < 0.01 })
        // A band covering everything returns the input.
        #expect(Filters.bandpass(x, rate: rate, low: 0, high: 100) == x)
    }

    @Test func nanSamplesStayLocal() {
        var x = SignalFixtures.mixture(count: 1250, rate: 125)
        for i in 600..<650 { x[i] = .nan }
        let y = Filters.bandpass(x, rate: 125, low: 0.5, high: 40)
        #expect((600..<650).allSatisfy { y[$0].isNaN })
        #expect(y.enumerated().allSatisfy { (600..<650).contains($0.offset) || $0.element.isFinite })
    }

    @Test func shortAndEmptyInputsDoNotCrash() {
        #expect(Filters.bandpass([], rate: 125, low: 0.5, high: 40).isEmpty)
        #expect(Filters.bandpass([1], rate: 125, low: 0.5, high: 40) == [1])
        let y = Filters.bandpass([1, 2, 3, 2, 1], rate: 125, low: 0.5, high: 40)
        #expect(y.count == 5 && y.allSatisfy { $0.isFinite })
        let nan = Filters.bandpass([.nan, .nan], rate: 125, low: 0.5, high: 40)
        #expect(nan.allSatisfy { $0.isNaN })
    }

    /// |H(e^{iω})| of a section cascade at `f` Hz.
    private func magnitude(_ sos: [[Double]], at f: Double, rate: Double) -> Double {
        let w = 2 * Double.pi * f / rate
        var mag = 1.0
        for s in sos {
            let num = Complex(s[0]) + Complex.polar(s[1], -w) + Complex.polar(s[2], -2 * w)
            let den = Complex(s[3]) + Complex.polar(s[4], -w) + Complex.polar(s[5], -2 * w)
            mag *= (num.magnitudeSquared / den.magnitudeSquared).squareRoot()
        }
        return mag
    }
}
