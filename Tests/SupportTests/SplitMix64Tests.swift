import Foundation
import Support
import Testing
import TestSupport

/// `SplitMix64` against an independent Python transcription of Vigna's `splitmix64.c`.
@Suite struct SplitMix64Tests {
    @Test func firstOutputsEqualTheReferenceProgram() throws {
        if Python.missing([]) != nil { print("skipped: no Python"); return }
        let states: [UInt64] = [0, 1, 0x4d41_5446_757a_7a31, .max]
        let r = try Python.run(["-c", """
        import sys
        M = (1 << 64) - 1
        def splitmix64(x):
            out = []
            for _ in range(5):
                x = (x + 0x9E3779B97F4A7C15) & M
                z = x
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
                out.append(z ^ (z >> 31))
            return out
        for s in sys.argv[1:]:
            print(" ".join(str(v) for v in splitmix64(int(s))))
        """] + states.map { String($0) })
        try #require(r.status == 0, "\(r.stderr)")
        let expected = r.stdout.split(separator: "\n").map { $0.split(separator: " ").map { UInt64($0)! } }
        for (state, want) in zip(states, expected) {
            var g = SplitMix64(state: state)
            #expect((0..<5).map { _ in g.next() } == want, "state \(state)")
        }
        // A seed starts one increment past it.
        var a = SplitMix64(seed: 41), b = SplitMix64(state: 41 &+ SplitMix64.increment)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
    }

    @Test func drawsStayInTheirRanges() {
        var g = SplitMix64(seed: 7)
        var sum = 0.0
        for _ in 0..<10_000 {
            let u = g.uniform(), f = g.unit(), k = g.below(7)
            #expect(u >= 0 && u < 1 && f >= 0 && f < 1 && (0..<7).contains(k))
            sum += u
        }
        #expect(abs(sum / 10_000 - 0.5) < 0.02)
        let z = (0..<20_000).map { _ in Double(g.nextGaussian()) }
        let mean = z.reduce(0, +) / Double(z.count)
        let sd = (z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(z.count)).squareRoot()
        #expect(abs(mean) < 0.03 && abs(sd - 1) < 0.03, "mean \(mean), sd \(sd)")
    }
}
