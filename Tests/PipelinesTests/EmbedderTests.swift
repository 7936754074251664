import Engine
import Foundation
@testable import Model
@testable import Pipelines
import Store
import Testing
import TestSupport

/// `Embedder`: every mode written under the model id, equal to a direct forward pass,
/// resumable after an interruption, the store untouched until the end.
@Suite struct EmbedderTests {
    /// A store of `n` synthetic segments; segment 1 has no PPG, segment 2 no ECG.
    static func makeStore(_ dir: URL, n: Int) throws -> URL {
        let url = dir.appendingPathComponent("s.h5")
        let w = try StoreWriter(url: url, subjects: [Subject(id: "a")], attributes: ["generator": "test"])
        var segs: [Segment] = []
        for i in 0..<n {
            let ecg = (0..<1250).map { t in Float(sin(Double(t) * 0.05 * Double(1 + i % 5)) + 0.1 * cos(Double(t * (i + 3)))) }
            let ppg = (0..<1250).map { t in Float(cos(Double(t) * 0.03 * Double(2 + i % 3))) }
            var meta = SegmentMeta(subjectIndex: 0, record: "r", start: Double(i) * 10, ecgOriginalRate: 125, ppgOriginalRate: 125)
            var s = Segment(meta: meta, ecg: ecg, ppg: ppg)
            if i == 1 { s.ppg = [Float](repeating: .nan, count: 1250); meta.ppgQuality = .absent; s.meta = meta }
            if i == 2 { s.ecg = [Float](repeating: .nan, count: 1250); meta.ecgQuality = .absent; s.meta = meta }
            segs.append(s)
        }
        try w.append(segs)
        try w.commit()
        return url
    }

    @Test func embedsEveryModeAndMatchesTheForwardPass() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-embed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.makeStore(dir, n: 11)
        let model = try M2AEModel.random(config: .tiny, seed: 3)
        let summary = try Embedder(model: model, batchSize: 4).run(store: url)
        #expect(summary == Embedder.Summary(modelID: model.id, segments: 11, resumedFrom: 0, alreadyEmbedded: false))
        let store = try RecordStore(url: url)
        #expect(store.modelIDs == [model.id])
        #expect(try store.fingerprintDim(model: model.id) == 16)
        #expect(!FileManager.default.fileExists(atPath: EmbedProgressFile.location(store: url, modelID: model.id).path))

        // Segment 0 by a direct forward pass on prepared input, one mode at a time.
        let seg = try store.segment(0)
        let ecg = Preprocessing.prepare(seg.ecg, modality: .ecg), ppg = Preprocessing.prepare(seg.ppg, modality: .ppg)
        let ws = Workspace(config: model.config, maxSegments: 1)
        for (mode, vis) in [(FingerprintMode.both, Visibility.full(segments: 1, patches: 50)),
                            (.ecg, .full(segments: 1, patches: 50, ppg: false)),
                            (.ppg, .full(segments: 1, patches: 50, ecg: false))] {
            try model.forward(ecg: ecg, ppg: ppg, visibility: vis, workspace: ws)
            let direct = ws.fingerprintRows(1)
            let stored = try store.fingerprints(model: model.id, mode: mode, 0..<1)
            #expect(zip(direct, stored).allSatisfy { abs($0 - $1) < 1e-5 }, "mode \(mode)")
            #expect(abs(stored.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4, "fingerprints are unit length")
        }
        // Missing modalities: NaN for the missing mode, the single-modality fingerprint for ECG+PPG.
        let noPPG = try FingerprintMode.allCases.map { try store.fingerprints(model: model.id, mode: $0, 1..<2) }
        #expect(noPPG[2].allSatisfy { $0.isNaN })
        #expect(zip(noPPG[0], noPPG[1]).allSatisfy { abs($0 - $1) < 1e-6 })
        let noECG = try FingerprintMode.allCases.map { try store.fingerprints(model: model.id, mode: $0, 2..<3) }
        #expect(noECG[1].allSatisfy { $0.isNaN })
        #expect(zip(noECG[0], noECG[2]).allSatisfy { abs($0 - $1) < 1e-6 })

        // A second run finds the fingerprints there.
        #expect(try Embedder(model: model, batchSize: 4).run(store: url).alreadyEmbedded)
    }

    @Test func resumesAfterAnInterruptionAndTouchesTheStoreOnlyAtTheEnd() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-embed-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.makeStore(dir, n: 10)
        let before = try Data(contentsOf: url)
        let model = try M2AEModel.random(config: .tiny, seed: 4)
        #expect(throws: EmbedInterrupted.self) { try Embedder(model: model, batchSize: 3).run(store: url, stopAfter: 2) }
        #expect(try Data(contentsOf: url) == before, "an interrupted run leaves the store byte-identical")
        let resumed = try Embedder(model: model, batchSize: 3).run(store: url)
        #expect(resumed.resumedFrom == 6)

        // The same fingerprints as an uninterrupted multi-threaded run on a fresh copy.
        let other = try Self.makeStore(try TestSupport.temporaryFolder("m2ae-embed-fresh"), n: 10)
        defer { try? FileManager.default.removeItem(at: other.deletingLastPathComponent()) }
        _ = try Embedder(model: model, batchSize: 2, threads: 3).run(store: other)   // and on three threads
        let a = try RecordStore(url: url), b = try RecordStore(url: other)
        for mode in FingerprintMode.allCases {
            let x = try a.fingerprints(model: model.id, mode: mode, 0..<10), y = try b.fingerprints(model: model.id, mode: mode, 0..<10)
            #expect(zip(x, y).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) < 1e-6 }, "mode \(mode)")
        }
    }

    /// `synth --out` (or any writer) replacing the store while `embed` runs: the fingerprints
    /// of the old signals are not written into the new file, which is left byte-identical.
    @Test func aStoreReplacedDuringTheRunIsNotWrittenInto() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-embed-race")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.makeStore(dir, n: 10)
        let model = try M2AEModel.random(config: .tiny, seed: 6)
        var replaced: Data?
        #expect { _ = try Embedder(model: model, batchSize: 3).run(store: url) { done, _ in
            if done == 6, replaced == nil {
                _ = try? Self.makeStore(dir, n: 10)       // same segment count, a new file
                replaced = try? Data(contentsOf: url)
            }
        } } throws: { "\($0)".contains("replaced or changed by another command") && "\($0)".hasPrefix(url.path) }
        #expect(replaced != nil)
        #expect(try Data(contentsOf: url) == replaced, "the new store is untouched")

        // A progress file left from the old file is not resumed on the new one.
        #expect(throws: EmbedInterrupted.self) { try Embedder(model: model, batchSize: 3).run(store: url, stopAfter: 1) }
        _ = try Self.makeStore(dir, n: 10)
        #expect(try Embedder(model: model, batchSize: 3).run(store: url).resumedFrom == 0)
    }

    /// A full disk while saving progress is said in words, naming the file (it was a raw
    /// `NSCocoaErrorDomain Code=640`); /dev/full answers every write with ENOSPC.
    @Test func aFullDiskIsSaidInWords() throws {
        guard let full = FileHandle(forWritingAtPath: "/dev/full") else {
            print("skipped: /dev/full is not available on this system"); return
        }
        do {
            try full.write(contentsOf: Data(count: 4096))
            try full.synchronize()
            Issue.record("writing to /dev/full succeeded")
        } catch {
            #expect(EmbedProgressFile.describe(error) == "no space left on the device")
        }
    }

    @Test func workersOnSeveralThreadsMatchOneThread() throws {
        let model = try M2AEModel.random(config: .tiny, seed: 5)
        let B = 37, S = model.config.segmentSamples
        var rng = SystemRandomNumberGenerator()
        let ecg = (0..<(B * S)).map { _ in Float.random(in: -2...2, using: &rng) }
        let ppg = (0..<(B * S)).map { _ in Float.random(in: -2...2, using: &rng) }
        let present = (0..<B).map { (ecg: $0 % 7 != 3, ppg: $0 % 5 != 1) }
        let one = try FingerprintWorkers(model: model, threads: 1, maxSegments: B).fingerprints(ecg: ecg, ppg: ppg, present: present)
        let before = Engine.blasThreads()
        for threads in [2, 3, 64] {
            let workers = FingerprintWorkers(model: model, threads: threads, maxSegments: B)
            let many = try workers.fingerprints(ecg: ecg, ppg: ppg, present: present)
            #expect(many.count == 3 * B * 16)
            // Equal up to float rounding: a share's tiles pack other segments together, and
            // BLAS may sum a product of another shape in another order.
            let gap = zip(one, many).map { $0.isNaN && $1.isNaN ? 0 : abs($0 - $1) }.max()!
            #expect(gap <= 1e-6, "\(threads) threads: max difference \(gap)")
            // Fewer segments than threads, and a batch beyond the workers' size.
            let few = try workers.fingerprints(ecg: ecg, ppg: ppg, present: Array(present.prefix(2)))
            #expect(zip(one.prefix(few.count), few).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) <= 1e-6 })
            #expect(throws: ForwardError.self) {
                _ = try FingerprintWorkers(model: model, threads: threads, maxSegments: 4).fingerprints(ecg: ecg, ppg: ppg, present: present)
            }
        }
        // One segment on two threads (encoders side by side, then the bottleneck sequences).
        let pair = FingerprintWorkers(model: model, threads: 2, maxSegments: 1)
        for (i, p) in [(ecg: true, ppg: true), (ecg: true, ppg: false), (ecg: false, ppg: true)].enumerated() {
            let at = (4 + i) * S
            let alone = try FingerprintWorkers(model: model, threads: 1, maxSegments: 1)
                .fingerprints(ecg: Array(ecg[at..<(at + S)]), ppg: Array(ppg[at..<(at + S)]), present: [p])
            let split = try pair.fingerprints(ecg: Array(ecg[at..<(at + S)]), ppg: Array(ppg[at..<(at + S)]), present: [p])
            #expect(split.count == 3 * 16 && zip(alone, split).allSatisfy { ($0.isNaN && $1.isNaN) || abs($0 - $1) <= 1e-6 }, "\(p)")
            #expect(split.filter(\.isNaN).count == (p.ecg && p.ppg ? 0 : 16), "one NaN mode when a modality is absent")
        }
        #expect(Engine.blasThreads() == before, "the BLAS thread count is restored")
    }

    @Test func badStoreIsAnErrorAndNothingIsWritten() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-embed-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("not-a-store.h5")
        try Data("hello".utf8).write(to: url)
        let model = try M2AEModel.random(config: .tiny, seed: 1)
        #expect(throws: StoreError.self) { try Embedder(model: model).run(store: url) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["not-a-store.h5"])
    }
}
