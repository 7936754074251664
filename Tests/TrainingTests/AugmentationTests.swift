import Foundation
import Model
import Testing
@testable import Training

/// The device augmentations: each transform does what it claims on a generated segment
/// (checked with a plain DFT and cross-correlation written here), the composite is seeded,
/// z-scored and leaves a segment alone at probability 0, and the epoch reader applies it
/// without changing the shuffle.
struct AugmentationTests {
    /// Two clean generated segments, prepared as the trainer sees them.
    static let segments: [PreparedSegment] = {
        let s = try! SynthSource(subjects: 2, segmentsPerSubject: 4, seed: 5).block(0) { _ in true }
        precondition(s.count >= 2)
        return s
    }()

    /// Power of `x` between `lo` and `hi` Hz (naive DFT at 125 Hz).
    static func power(_ x: [Float], _ lo: Double, _ hi: Double) -> Double {
        let n = x.count
        var total = 0.0
        for k in 1..<(n / 2) {
            let f = Double(k) * 125 / Double(n)
            guard f >= lo, f <= hi else { continue }
            var re = 0.0, im = 0.0
            for (i, v) in x.enumerated() {
                let a = 2 * Double.pi * Double(k * i) / Double(n)
                re += Double(v) * cos(a); im -= Double(v) * sin(a)
            }
            total += re * re + im * im
        }
        return total
    }

    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0.0) { $0 + Double($1) } / n, mb = b.reduce(0.0) { $0 + Double($1) } / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            let x = Double(a[i]) - ma, y = Double(b[i]) - mb
            sab += x * y; saa += x * x; sbb += y * y
        }
        return sab / (saa * sbb).squareRoot()
    }

    /// The lag (samples, −m…m) at which `b` best matches `a` delayed.
    static func bestLag(_ a: [Float], _ b: [Float], max m: Int) -> Int {
        (-m...m).max { lag1, lag2 in
            let c = { (lag: Int) -> Double in
                var s = 0.0
                for i in max(0, lag)..<min(a.count, a.count + lag) { s += Double(a[i - lag]) * Double(b[i]) }
                return s
            }
            return c(lag1) < c(lag2)
        }!
    }

    @Test func delayShiftsThePPGByTheGivenTime() {
        let ppg = Self.segments[0].ppg
        for seconds in [0.24, -0.08, 0.4] {
            let d = Augmentation.delay(ppg, seconds: seconds)
            #expect(d.count == ppg.count)
            let lag = Self.bestLag(ppg, d, max: 60)
            #expect(lag == Int((seconds * 125).rounded()), "delay \(seconds) s: best lag \(lag) samples")
            let s = Int((seconds * 125).rounded())
            if s > 0 { #expect(Array(d[s...]) == Array(ppg[..<(ppg.count - s)])) }
        }
        #expect(Augmentation.delay(ppg, seconds: 0) == ppg)
    }

    @Test func deviceRateRemovesWhatItCannotRecord() {
        let ecg = Self.segments[0].ecg
        let at50 = Augmentation.resampled(ecg, through: 50)
        #expect(at50.count == ecg.count)
        let above = Self.power(at50, 26, 62), before = Self.power(ecg, 26, 62)
        print("ECG power 26-62 Hz: \(before) at 125 Hz, \(above) through 50 Hz")
        #expect(above < 0.02 * before)
        // What a 50 Hz device does record (below 20 Hz) survives.
        let lowOriginal = Augmentation.lowPass(ecg, edge: 18), lowAt50 = Augmentation.lowPass(at50, edge: 18)
        #expect(Self.correlation(lowOriginal, lowAt50) > 0.98)
        #expect(Augmentation.resampled(ecg, through: 250) == ecg)
    }

    @Test func monitorFilterAndLeadChangeTheECGAsDescribed() {
        let ecg = Self.segments[1].ecg
        let filtered = Augmentation.lowPass(ecg, edge: 15)
        #expect(Self.power(filtered, 30, 62) < 0.05 * Self.power(ecg, 30, 62))
        #expect(Self.correlation(filtered, ecg) > 0.5)
        #expect(Augmentation.leadMixed(ecg, weight: 0) == ecg)
        let mixed = Augmentation.leadMixed(ecg, weight: 0.5)
        let r = Self.correlation(mixed, ecg)
        #expect(r > 0.7 && r < 0.99, "lead mix r \(r)")
    }

    @Test func wanderAndMotionAddWhereTheySay() {
        let ppg = Self.segments[0].ppg
        let w = Augmentation.wander(ppg, frequency: 0.2, amplitude: 0.5, phase: 0)
        let added = zip(w, ppg).map { $0 - $1 }
        let sd = Augmentation.standardDeviation(ppg)
        for i in stride(from: 0, to: added.count, by: 97) {
            #expect(abs(Double(added[i]) - 0.5 * sd * sin(2 * Double.pi * 0.2 * Double(i) / 125)) < 1e-4)
        }
        var rng = SeededGenerator(seed: 9)
        let m = Augmentation.motion(ppg, centre: 2, duration: 1, amplitude: 1, using: &rng)
        let change = zip(m, ppg).map { abs(Double($0 - $1)) }
        // Within the burst the signal moves; 3 s away (6 window standard deviations) it does not.
        #expect(change[200..<300].max()! > 0.3)
        #expect(change[625...].max()! < 1e-3)
    }

    @Test func compositeIsSeededZScoredAndOffAtZero() {
        let s = Self.segments[0]
        let aug = Augmentation(probability: 0.5)
        var r1 = SeededGenerator(seed: 3), r2 = SeededGenerator(seed: 3), r3 = SeededGenerator(seed: 4)
        var changed = 0
        for _ in 0..<20 {
            let a = aug.apply(ecg: s.ecg, ppg: s.ppg, using: &r1), b = aug.apply(ecg: s.ecg, ppg: s.ppg, using: &r2)
            #expect(a.ecg == b.ecg && a.ppg == b.ppg)
            let c = aug.apply(ecg: s.ecg, ppg: s.ppg, using: &r3)
            if c.ecg != s.ecg || c.ppg != s.ppg { changed += 1 }
            for x in [a.ecg, a.ppg] {
                #expect(x.count == s.ecg.count && x.allSatisfy(\.isFinite))
                let mean = x.reduce(0.0) { $0 + Double($1) } / Double(x.count)
                #expect(abs(mean) < 1e-3 && abs(Augmentation.standardDeviation(x) - 1) < 1e-3)
            }
        }
        // At 0.5 per transform, a segment is left alone with probability about 0.5^6 · (5/6) · (3/4) < 1 %.
        #expect(changed >= 18)
        var r4 = SeededGenerator(seed: 3)
        let off = Augmentation(probability: 0).apply(ecg: s.ecg, ppg: s.ppg, using: &r4)
        #expect(off.ecg == s.ecg && off.ppg == s.ppg)
    }

    @Test func epochReaderAugmentsWithoutChangingTheShuffle() throws {
        let source = TestSource(subjects: 12, perSubject: 4)
        let split = try SubjectSplit(subjects: 12, usable: [Int](repeating: 4, count: 12), validationFraction: 0.2, seed: 1, source: "test")
        func batches(_ a: Augmentation?) throws -> [SegmentBatch] {
            let r = EpochReader(source: source, split: split, batchSize: 4, batches: 3, seed: 7, epoch: 1, augmentation: a)
            var out: [SegmentBatch] = []
            while let b = try r.next() { out.append(b) }
            return out
        }
        let plain = try batches(nil), one = try batches(Augmentation(probability: 1)), two = try batches(Augmentation(probability: 1))
        #expect(one.map(\.ecg) == two.map(\.ecg) && one.map(\.ppg) == two.map(\.ppg))
        #expect(plain.map(\.ecg) != one.map(\.ecg))
        // The same segments in the same order: each augmented ECG row still resembles its plain row most.
        let n = 1250
        for (p, a) in zip(plain, one) {
            for i in 0..<p.count {
                let mine = Self.correlation(Array(p.ecg[i * n ..< (i + 1) * n]), Array(a.ecg[i * n ..< (i + 1) * n]))
                #expect(abs(mine) > 0.3, "row \(i): r \(mine)")
            }
        }
    }
}
