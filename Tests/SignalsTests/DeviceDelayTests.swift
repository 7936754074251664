import Foundation
import Testing
@testable import Signals

/// A paired segment at 125 Hz: narrow R peaks at `beats` (seconds) and, for each, a PPG pulse
/// whose steepest upstroke comes `delay` seconds after it (a Gaussian of width σ rises
/// fastest σ before its centre).
private func paired(beats: [Double], delay: Double, seconds: Double = 10) -> (ecg: [Float], ppg: [Float]) {
    let rate = 125.0, n = Int(seconds * rate), sigma = 0.08
    var ecg = [Float](repeating: 0, count: n), ppg = [Float](repeating: 0, count: n)
    for i in 0..<n {
        let t = Double(i) / rate
        var e = 0.0, p = 0.0
        for b in beats {
            e += exp(-0.5 * pow((t - b) / 0.012, 2)) - 0.15 * exp(-0.5 * pow((t - b - 0.25) / 0.05, 2))
            p += exp(-0.5 * pow((t - (b + delay + sigma)) / sigma, 2))
        }
        ecg[i] = Float(e); ppg[i] = Float(p + 0.02 * sin(2 * .pi * 0.2 * t))
    }
    return (ecg, ppg)
}

/// Beat times with a varying RR interval (mean `rr`, ±8 %), as real hearts have.
private func beatTimes(rr: Double, seconds: Double = 10) -> [Double] {
    var t = 0.3, out: [Double] = []
    var k = 0
    while t < seconds { out.append(t); t += rr * (1 + 0.08 * sin(Double(k) * 1.7)); k += 1 }
    return out
}

@Suite struct DeviceDelayTests {
    @Test(arguments: [(0.9, 0.12), (0.9, 0.30), (0.8, 0.52), (0.5, 0.56), (1.1, 0.70)])
    func measuresTheUpstrokeDelayWithinOneSample(rr: Double, delay: Double) throws {
        let s = paired(beats: beatTimes(rr: rr), delay: delay)
        let measured = try #require(DeviceDelay.segment(ecg: s.ecg, ppg: s.ppg, rate: 125))
        // At an exercise rate (RR 0.5 s) the delay is longer than the beat: still its own beat's.
        #expect(abs(measured - delay) <= 1.0 / 125 + 1e-9, "RR \(rr) s, delay \(delay) s: measured \(measured)")
    }

    @Test func noDelayWithoutEnoughBeatsOrSignal() {
        let few = paired(beats: [0.5, 2.5, 4.5], delay: 0.3)
        #expect(DeviceDelay.segment(ecg: few.ecg, ppg: few.ppg, rate: 125) == nil)           // 3 R peaks
        let s = paired(beats: beatTimes(rr: 0.9), delay: 0.3)
        #expect(DeviceDelay.segment(ecg: s.ecg, ppg: [Float](repeating: .nan, count: s.ppg.count), rate: 125) == nil)
        #expect(DeviceDelay.segment(ecg: s.ecg, ppg: Array(s.ppg.prefix(100)), rate: 125) == nil)  // lengths differ
        #expect(DeviceDelay.segment(ecg: s.ecg, ppg: s.ppg, rate: 0) == nil)
        #expect(DeviceDelay.record([]) == nil)
        #expect(DeviceDelay.record([0.5, 0.3, 0.52, 0.51]) == 0.505)
    }

    @Test func theModelInputMovesThePPGToTheModelsDelay() throws {
        let s = paired(beats: beatTimes(rr: 0.9), delay: 0.54)
        #expect(DeviceDelay.shift(delay: 0.54) == 30 && DeviceDelay.shift(delay: 0.14) == -20)
        // Unknown, or a delay no measurement gives (a hostile store's): not used.
        #expect(DeviceDelay.shift(delay: nil) == 0 && DeviceDelay.shift(delay: .nan) == 0)
        #expect(DeviceDelay.shift(delay: 1e300) == 0 && DeviceDelay.shift(delay: -0.2) == 0 && DeviceDelay.shift(delay: .infinity) == 0)
        let aligned = DeviceDelay.modelInput(s.ppg, delay: 0.54)
        let measured = try #require(DeviceDelay.segment(ecg: s.ecg, ppg: aligned, rate: 125))
        #expect(abs(measured - DeviceDelay.modelDelay) <= 1.0 / 125 + 1e-9)
        #expect(DeviceDelay.modelInput(s.ppg, delay: nil) == s.ppg)
        // Moving back restores every sample that was not shifted in from beyond an edge.
        let back = DeviceDelay.recordTime(aligned, delay: 0.54)
        #expect(Array(back[30...]) == Array(s.ppg[30...]))
        let early = DeviceDelay.modelInput(s.ppg, delay: 0.14)
        #expect(Array(DeviceDelay.recordTime(early, delay: 0.14)[..<(s.ppg.count - 20)]) == Array(s.ppg[..<(s.ppg.count - 20)]))
        // The edge mirrors: the last sample moved 2 earlier reads the samples before it.
        #expect(DeviceDelay.shifted([1, 2, 3, 4, 5], by: 2) == [3, 4, 5, 4, 3])
        #expect(DeviceDelay.shifted([1, 2, 3, 4, 5], by: -2) == [3, 2, 1, 2, 3])
        #expect(DeviceDelay.shifted([7], by: 3) == [7])
        // Mirroring repeats with period 2(n − 1): any shift, however large, is one lookup a sample.
        #expect(DeviceDelay.shifted([1, 2, 3, 4, 5], by: 10) == [3, 4, 5, 4, 3])
        #expect(DeviceDelay.shifted([1, 2, 3, 4, 5], by: Int.max / 2 - (Int.max / 2) % 8 + 2) == [3, 4, 5, 4, 3])
        #expect(DeviceDelay.shifted([1, 2, 3, 4, 5], by: Int.min / 2) == DeviceDelay.shifted([1, 2, 3, 4, 5], by: (Int.min / 2) % 8))
    }
}
