import Foundation
import Testing
@testable import Synth

/// The fast kernels equal their direct definitions.
@Suite struct KernelTests {
    @Test func gaussianRecurrenceMatchesDirectExp() {
        let rate = 125.0, t0 = -2.0
        for (centre, before, after) in [(0.5, 0.01, 0.01), (1.234, 0.05, 0.12), (-1.99, 0.03, 0.2), (9.99, 0.08, 0.02)] {
            var fast = [Double](repeating: 0, count: 1500)
            _Wave.add(&fast, t0: t0, rate: rate, centre: centre, sigmaBefore: before, sigmaAfter: after, amplitude: 1.7)
            var worst = 0.0
            for i in 0..<1500 {
                let d = t0 + Double(i) / rate - centre
                let s = d < 0 ? before : after
                let direct = abs(d) <= 4 * s ? 1.7 * exp(-0.5 * d * d / (s * s)) : 0
                worst = max(worst, abs(fast[i] - direct))
            }
            #expect(worst < 1e-9, "centre \(centre): max error \(worst)")
        }
    }

    @Test func respirationTraceMatchesValue() {
        let r = Respiration(rate: 0.27, phase: 1.1, driftPhase: 4.0)
        let trace = r.trace(from: -2, count: 1500, rate: 125)
        let worst = (0..<1500).map { abs(trace[$0] - r.value(at: -2 + Double($0) / 125)) }.max()!
        #expect(worst < 1e-9)
    }

    @Test func normalDrawsHaveUnitVariance() {
        var rng = SynthRandom(seed: 1)
        let x = (0..<200_000).map { _ in rng.normal() }
        let m = x.reduce(0, +) / Double(x.count)
        let v = x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count)
        #expect(abs(m) < 0.01 && abs(v - 1) < 0.02)
    }
}
