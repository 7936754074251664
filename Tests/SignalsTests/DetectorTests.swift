import Foundation
import Testing
@testable import Signals

// MARK: - Detectors on synthetic beats with known positions

@Suite struct DetectorTests {
    @Test(arguments: [125.0, 250.0, 100.0])
    func rPeaksFoundDespiteBaselineAndNoise(rate: Double) {
        var beats = SyntheticBeats()
        beats.rate = rate
        beats.wander = 0.8
        beats.noise = 0.1
        let found = RPeakDetector.detect(beats.ecg(), rate: rate)
        #expect(found.count == beats.rIndices.count)
        for (a, b) in zip(found, beats.rIndices) { #expect(abs(a - b) <= 1, "found \(a), expected \(b)") }
    }

    @Test func invertedLeadGivesTheSameBeats() {
        let beats = SyntheticBeats()
        let found = RPeakDetector.detect(beats.ecg().map { -$0 }, rate: beats.rate)
        #expect(found.count == beats.rIndices.count)
        for (a, b) in zip(found, beats.rIndices) { #expect(abs(a - b) <= 1) }
    }

    @Test func irregularRhythmAndSmallBeatsAreKept() {
        var beats = SyntheticBeats()
        beats.rPeaks = [0.4, 0.9, 1.9, 2.35, 3.5, 4.1, 4.5, 5.6, 6.3, 6.8, 7.9, 8.4, 9.3]
        let ecg = beats.ecg()
        let found = RPeakDetector.detect(ecg, rate: beats.rate)
        #expect(found.count == beats.rPeaks.count)
        for (a, b) in zip(found, beats.rIndices) { #expect(abs(a - b) <= 1) }
    }

    @Test func flatMissingAndShortInputsGiveNoBeats() {
        #expect(RPeakDetector.detect([Float](repeating: 0.3, count: 1250), rate: 125).isEmpty)
        #expect(RPeakDetector.detect([Float](repeating: .nan, count: 1250), rate: 125).isEmpty)
        #expect(RPeakDetector.detect([1, 2, 3], rate: 125).isEmpty)
        #expect(RPeakDetector.detect([], rate: 125).isEmpty)
        #expect(PulseDetector.detect([Float](repeating: 1, count: 1250), rate: 125) == .empty)
        #expect(PulseDetector.detect([Float](repeating: .nan, count: 1250), rate: 125) == .empty)
    }

    @Test(arguments: [125.0, 250.0])
    func pulsePeaksAndFeet(rate: Double) {
        var beats = SyntheticBeats()
        beats.rate = rate
        beats.wander = 0.3
        let pulse = PulseDetector.detect(beats.ppg(), rate: rate)
        let peaks = beats.rPeaks.map { ($0 + beats.pat + beats.rise) * rate }
        let feet = beats.rPeaks.map { ($0 + beats.pat + beats.tangentFootDelay) * rate }
        #expect(pulse.peaks.count == peaks.count)
        #expect(pulse.onsets.count == pulse.peaks.count)
        // Filtering moves the fiducials by a few milliseconds at most.
        for (a, b) in zip(pulse.peaks, peaks) { #expect(abs(Double(a) - b) <= 0.02 * rate, "peak \(a) vs \(b)") }
        for (a, b) in zip(pulse.onsets, feet) { #expect(abs(Double(a) - b) <= 0.016 * rate, "foot \(a) vs \(b)") }
    }

    @Test func heartRateIsSixtyOverTheMedianInterval() {
        #expect(HeartRate.bpm(peaks: [0, 100, 200, 300], rate: 125) == 75)
        // One missed beat (a 200-sample gap) does not move the median.
        #expect(HeartRate.bpm(peaks: [0, 100, 200, 400, 500, 600], rate: 125) == 75)
        #expect(HeartRate.bpm(peaks: [10], rate: 125) == nil)
        #expect(HeartRate.bpm(peaks: [], rate: 125) == nil)
        #expect(HeartRate.bpm(peaks: [0, 1000], rate: 125) == nil)   // 8 s: not a heartbeat
    }

    @Test func pulseArrivalPairsEachRPeakWithThePulseItCaused() {
        let rate = 100.0
        let r = [100, 180, 260, 340]
        // Feet 55 samples (0.55 s) after each R, i.e. after the next R-peak: long ICU delays.
        let pulse = PulseFiducials(peaks: r.map { $0 + 70 }, onsets: r.map { $0 + 55 })
        #expect(PulseArrival.seconds(rPeaks: r, pulse: pulse, rate: rate, point: .onset) == [0.55, 0.55, 0.55, 0.55])
        #expect(PulseArrival.seconds(rPeaks: r, pulse: pulse, rate: rate) == [0.7, 0.7, 0.7, 0.7])
        // A missing pulse skips its R-peak instead of pairing it with the next beat's pulse.
        let gap = PulseFiducials(peaks: [130, 290, 370], onsets: [120, 280, 360])
        #expect(PulseArrival.seconds(rPeaks: r, pulse: gap, rate: rate, point: .onset) == [0.2, 0.2, 0.2])
        #expect(PulseArrival.seconds(rPeaks: [], pulse: gap, rate: rate).isEmpty)
    }

    @Test func unwrapUndoesIntegerWrapAround() {
        let period = 4.0
        let truth: [Float] = (0..<500).map { Float(3 * sin(Double($0) / 20)) }
        let wrapped = truth.map { v -> Float in
            var w = v
            while w >= 2 { w -= 4 }
            while w < -2 { w += 4 }
            return w
        }
        #expect(wrapped != truth)
        let back = Unwrap.unwrap(wrapped, period: Double(period))
        let offset = back[0] - truth[0]
        #expect(zip(back, truth).allSatisfy { abs($0 - $1 - offset) < 1e-5 })
    }
}
