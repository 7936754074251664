import Foundation
@testable import Model
@testable import Pipelines
import Store
import Testing
import TestSupport
import Support

/// Reconstruction scoring, the metrics, and forward-pass bad input.
@Suite struct ReconstructorTests {
    @Test func scoresEverySourceAndSkipsMissingModalities() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-recon")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try RecordStore(url: EmbedderTests.makeStore(dir, n: 9))
        let model = try M2AEModel.random(config: .tiny, seed: 8)
        for source in ReconstructionSource.allCases {
            let a = try Reconstructor(model: model, batchSize: 4, maskSeed: 5).scores(store: store, 0..<9, from: source)
            let b = try Reconstructor(model: model, batchSize: 7, maskSeed: 5).scores(store: store, 0..<9, from: source)
            #expect(a.count == 9)
            #expect(a[1] == nil && a[2] == nil, "segments 1 and 2 lack a modality")
            for (x, y) in zip(a, b) {
                #expect((x == nil) == (y == nil))
                if let x, let y {
                    #expect(x.segment == y.segment && x.target == source.target)
                    #expect(abs(x.rmse - y.rmse) < 1e-5, "a segment's score does not depend on its batch")
                }
            }
            let s = try #require(a[0])
            #expect(s.rmse.isFinite && s.rmse > 0)
            #expect(s.pearson.map { abs($0) <= 1 } ?? false)
        }
        #expect(throws: EmbedError.self) { try Reconstructor(model: model).scores(store: store, 5..<10, from: .ppg) }
    }

    /// On several threads (shares of whole batches, single-threaded BLAS each) the scores are
    /// those of one thread with one BLAS thread, in segment order, whatever the share count.
    @Test func threadsGiveTheScoresOfOneThread() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-recon-threads")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try RecordStore(url: EmbedderTests.makeStore(dir, n: 9))
        let model = try M2AEModel.random(config: .tiny, seed: 8)
        let r = Reconstructor(model: model, batchSize: 2, maskSeed: 5)
        for source in ReconstructionSource.allCases {
            let one = try r.scores(store: store, 1..<9, from: source, threads: 1)
            #expect(one.count == 8)
            for threads in [2, 3, 16] {
                #expect(try r.scores(store: store, 1..<9, from: source, threads: threads) == one, "\(source), \(threads) threads")
            }
        }
    }

    @Test func metricsOfKnownReconstructions() throws {
        let rate = 125.0
        // A synthetic ECG-like pulse train at 75 bpm (a narrow spike every 0.8 s).
        let truth: [Float] = (0..<1250).map { i in
            let phase = Double(i).truncatingRemainder(dividingBy: 0.8 * rate)
            return Float(exp(-phase * phase / 2) * 5 + 0.05 * sin(Double(i) / 7))
        }
        let all = [Bool](repeating: true, count: 1250)
        let same = Reconstructor.score(segment: 0, source: .ppg, truth: truth, guess: truth, scored: all)
        #expect(abs(same.pearson! - 1) < 1e-9 && same.rmse == 0)
        #expect(same.heartRateDifference == 0)
        #expect(abs((same.heartRateTrue ?? 0) - 75) < 2)
        let negated = Reconstructor.score(segment: 0, source: .ecg, truth: truth, guess: truth.map { -$0 }, scored: all)
        #expect(abs(negated.pearson! + 1) < 1e-9 && negated.heartRateTrue == nil)
        let flat = Reconstructor.score(segment: 0, source: .ecg, truth: truth, guess: [Float](repeating: 0, count: 1250), scored: all)
        #expect(flat.pearson == nil)
        let q = try #require(Quartiles([4, 1, 3, 2]))
        #expect(q.q1 == 1.75 && q.median == 2.5 && q.q3 == 3.25 && q.count == 4)
        #expect(Quartiles([]) == nil)
    }

    @Test func forwardRejectsBadInput() throws {
        let model = try M2AEModel.random(config: .tiny, seed: 1)
        let ws = Workspace(config: model.config, maxSegments: 2)
        let x = [Float](repeating: 0.5, count: 2 * 1250)
        let nothing = Visibility(segments: 2, patches: 50, ecg: [Bool](repeating: false, count: 100), ppg: [Bool](repeating: true, count: 50) + [Bool](repeating: false, count: 50))
        #expect(throws: ForwardError.self) { try model.forward(ecg: x, ppg: x, visibility: nothing, workspace: ws) }
        var nan = x
        nan[1300] = .nan
        #expect(throws: ForwardError.self) { try model.forward(ecg: nan, ppg: x, visibility: .full(segments: 2, patches: 50), workspace: ws) }
        let three = [Float](repeating: 0.5, count: 3 * 1250)
        #expect(throws: ForwardError.self) { try model.forward(ecg: three, ppg: three, visibility: .full(segments: 3, patches: 50), workspace: ws) }
        let other = Workspace(config: .small, maxSegments: 2)
        #expect(throws: ForwardError.self) { try model.forward(ecg: x, ppg: x, visibility: .full(segments: 2, patches: 50), workspace: other) }
        // The message names the segment and the sample.
        do { try model.forward(ecg: nan, ppg: x, visibility: .full(segments: 2, patches: 50), workspace: ws) } catch {
            #expect(String(describing: error) == "model forward: segment 1: ECG sample 50 is not finite")
        }
    }
}

/// The tiled three-mode pass equals the general forward pass, mode by mode, across tiles.
@Suite struct AllModesTests {
    @Test func tiledAllModesEqualsTheGeneralForward() throws {
        let model = try M2AEModel.random(config: .tiny, seed: 21)
        let B = 2 * M2AEModel.allModesTile + 5, S = 1250, f = 16
        var rng = SplitMix64(state: 2)
        let ecg = (0..<(B * S)).map { _ in rng.nextGaussian() }, ppg = (0..<(B * S)).map { _ in rng.nextGaussian() }
        var present = Array(repeating: (ecg: true, ppg: true), count: B)
        present[3].ppg = false
        present[20].ecg = false
        let ws = Workspace(config: model.config, maxSegments: B)
        try model.fingerprintsAllModes(ecg: ecg, ppg: ppg, present: present, workspace: ws)
        let all = ws.fingerprintRows(3 * B)
        let one = Workspace(config: model.config, maxSegments: 1)
        for b in [0, 3, 15, 16, 20, B - 1] {
            let e = Array(ecg[(b * S)..<((b + 1) * S)]), p = Array(ppg[(b * S)..<((b + 1) * S)])
            for (k, vis) in [(0, Visibility.full(segments: 1, patches: 50, ecg: present[b].ecg, ppg: present[b].ppg)),
                             (1, .full(segments: 1, patches: 50, ppg: false)), (2, .full(segments: 1, patches: 50, ecg: false))] {
                let row = Array(all[((3 * b + k) * f)..<((3 * b + k + 1) * f)])
                let possible = k == 0 || (k == 1 ? present[b].ecg : present[b].ppg)
                guard possible else { #expect(row.allSatisfy { $0.isNaN }, "segment \(b) mode \(k)"); continue }
                try model.forward(ecg: e, ppg: p, visibility: vis, workspace: one)
                let direct = one.fingerprintRows(1)
                #expect(zip(row, direct).allSatisfy { abs($0 - $1) < 1e-5 }, "segment \(b) mode \(k)")
            }
        }
    }
}
