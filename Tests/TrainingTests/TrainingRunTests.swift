import Foundation
import Model
import Testing
import TestSupport
@testable import Training

/// The whole run on the tiny config: the loss falls, checkpoints resume exactly, interruption
/// and divergence keep what was saved, and bad requests fail with one clear line.
@Suite(.serialized) struct TrainingRunTests {
    static func settings(_ dir: URL, epochs: Int = 2) -> TrainingRun.Settings {
        var s = TrainingRun.Settings(epochs: epochs, batchSize: 16, seed: 3, out: dir.appendingPathComponent("m.safetensors"),
                                     curve: dir.appendingPathComponent("m.loss.csv"))
        s.hyperparameters.warmupSteps = 4
        s.hyperparameters.lr = 3e-3
        s.validationLimit = 32
        s.validationFraction = 0.15
        return s
    }

    @Test func lossFallsOnAShortRun() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try TrainingRun(source: TestSource(subjects: 32, perSubject: 4), settings: Self.settings(dir, epochs: 5),
                                  config: .tiny, resume: false)
        var epochs: [TrainingRun.EpochReport] = []
        let outcome = try run.run(onEvent: { if case .epoch(let e) = $0 { epochs.append(e) } }, shouldStop: { false })
        #expect(outcome == .finished)
        let losses = run.curve.rows.filter { $0.kind == "train" }.map(\.parts.loss)
        let first = losses.prefix(3).reduce(0, +) / 3, last = losses.suffix(3).reduce(0, +) / 3
        print("train loss: first steps \(first), last steps \(last); val \(epochs.map(\.validation.parts.loss))")
        #expect(losses.count == run.state.stepsPerEpoch * 5)
        #expect(last < first * 0.9, "training loss should fall: \(first) → \(last)")
        #expect(epochs.count == 5 && epochs.last!.validation.parts.loss < epochs.first!.validation.parts.loss)
        // The checkpoint is an ordinary M2AE checkpoint, the curve a CSV with a header.
        let saved = try M2AEModel(checkpoint: dir.appendingPathComponent("m.safetensors"))
        #expect(saved.id == run.trainer.model.id)
        let csv = try String(contentsOf: dir.appendingPathComponent("m.loss.csv"), encoding: .utf8)
        #expect(csv.hasPrefix(LossCurve.header))
        #expect(csv.split(separator: "\n").count == 1 + losses.count + 5)
    }

    @Test func interruptedAndResumedRunEqualsAnUninterruptedOne() throws {
        let a = try TestSupport.temporaryFolder("m2ae-run-a"), b = try TestSupport.temporaryFolder("m2ae-run-b")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let source = TestSource(subjects: 20, perSubject: 4)
        let straight = try TrainingRun(source: source, settings: Self.settings(a), config: .tiny, resume: false)
        #expect(try straight.run(onEvent: { _ in }, shouldStop: { false }) == .finished)

        var steps = 0
        let first = try TrainingRun(source: source, settings: Self.settings(b), config: .tiny, resume: false)
        let outcome = try first.run(onEvent: { if case .step = $0 { steps += 1 } }, shouldStop: { steps == 3 })
        #expect(outcome == .interrupted(step: 3))
        let resumed = try TrainingRun(source: source, settings: Self.settings(b), config: .tiny, resume: true)
        #expect(resumed.state.step == 3 && resumed.state.batchInEpoch == 3)
        #expect(try resumed.run(onEvent: { _ in }, shouldStop: { false }) == .finished)
        #expect(resumed.trainer.model.id == straight.trainer.model.id, "resumed weights differ from the uninterrupted run")
        // The resumed curve's first rows come back from the CSV (6 significant digits).
        let la = resumed.curve.rows.map(\.parts.loss), lb = straight.curve.rows.map(\.parts.loss)
        #expect(la.count == lb.count && zip(la, lb).allSatisfy { abs($0 - $1) <= 1e-5 * abs($1) }, "\(la) vs \(lb)")
    }

    @Test func resumeRefusesAnotherConfig() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-run-cfg")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = TestSource(subjects: 10, perSubject: 4)
        _ = try TrainingRun(source: source, settings: Self.settings(dir, epochs: 1), config: .tiny, resume: false)
            .run(onEvent: { _ in }, shouldStop: { false })
        let error = #expect(throws: TrainingRunError.self) {
            _ = try TrainingRun(source: source, settings: Self.settings(dir), config: .small, resume: true)
        }
        print(error?.description ?? "")
        #expect(error?.description.contains("config 'tiny'") == true && error?.description.contains("m.safetensors") == true)
        // No checkpoint at all.
        let none = #expect(throws: TrainingRunError.self) {
            var s = Self.settings(dir); s.out = dir.appendingPathComponent("absent.safetensors")
            _ = try TrainingRun(source: source, settings: s, config: .tiny, resume: true)
        }
        #expect(none?.description.contains("absent.safetensors") == true)
    }

    @Test func fineTuningStartsFromTheGivenWeightsWithItsOwnModalityDrop() throws {
        let a = try TestSupport.temporaryFolder("m2ae-run-base"), b = try TestSupport.temporaryFolder("m2ae-run-ft")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let source = TestSource(subjects: 20, perSubject: 4)
        let base = try TrainingRun(source: source, settings: Self.settings(a, epochs: 1), config: .tiny, resume: false)
        #expect(try base.run(onEvent: { _ in }, shouldStop: { false }) == .finished)

        var s = Self.settings(b, epochs: 1)
        s.initialWeights = a.appendingPathComponent("m.safetensors")
        s.hyperparameters.pDrop = 1
        let tuned = try TrainingRun(source: source, settings: s, config: .tiny, resume: false)
        #expect(tuned.trainer.model.id == base.trainer.model.id, "fine-tuning must start from the checkpoint's weights")
        #expect(tuned.state.step == 0 && tuned.trainer.optimizer.step == 0, "a fresh optimiser and schedule")
        var dropped: [Bool] = []
        #expect(try tuned.run(onEvent: { event in
            // With p_drop = 1 every segment has one whole modality dropped: no contrastive pairs.
            if case .step(let r) = event { dropped.append(r.result.parts.contrastive == 0) }
        }, shouldStop: { false }) == .finished)
        #expect(!dropped.isEmpty && dropped.allSatisfy { $0 })
        #expect(tuned.trainer.model.id != base.trainer.model.id, "the fine-tuning steps changed the weights")

        // A checkpoint of another config is refused, naming the file.
        let error = #expect(throws: TrainingRunError.self) {
            var other = Self.settings(b); other.initialWeights = a.appendingPathComponent("m.safetensors")
            _ = try TrainingRun(source: source, settings: other, config: .small, resume: false)
        }
        print(error?.description ?? "")
        #expect(error?.description.contains("config 'tiny'") == true && error?.description.contains("m.safetensors") == true)
    }

    @Test func tooFewSubjectsIsAClearError() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-run-few")
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: TrainingDataError.self) {
            _ = try TrainingRun(source: TestSource(subjects: 3, perSubject: 20), settings: Self.settings(dir), config: .tiny, resume: false)
        }
        print(error?.description ?? "")
        #expect(error?.description.contains("too few to split") == true && error?.description.contains("test 3x20") == true)
    }

    @Test func divergenceKeepsTheLastGoodCheckpoint() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-run-nan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = TestSource(subjects: 10, perSubject: 4)
        _ = try TrainingRun(source: source, settings: Self.settings(dir, epochs: 1), config: .tiny, resume: false)
            .run(onEvent: { _ in }, shouldStop: { false })
        let ckpt = dir.appendingPathComponent("m.safetensors")
        let before = try Data(contentsOf: ckpt)
        var s = Self.settings(dir, epochs: 3)
        s.hyperparameters.lr = 1e30; s.hyperparameters.warmupSteps = 0; s.hyperparameters.clip = 1e30
        let run = try TrainingRun(source: source, settings: s, config: .tiny, resume: true)
        let outcome = try run.run(onEvent: { _ in }, shouldStop: { false })
        guard case .diverged(let step, let epoch) = outcome else { Issue.record("expected divergence, got \(outcome)"); return }
        print("diverged at step \(step), last good epoch \(epoch)")
        #expect(epoch == 1 && step >= run.state.stepsPerEpoch)
        #expect(try Data(contentsOf: ckpt) == before, "the last good checkpoint must be untouched")
    }

    @Test func failedSaveLeavesThePreviousCheckpointIntact() throws {
        let dir = try TestSupport.temporaryFolder("m2ae-run-full")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = TestSource(subjects: 10, perSubject: 4)
        _ = try TrainingRun(source: source, settings: Self.settings(dir, epochs: 1), config: .tiny, resume: false)
            .run(onEvent: { _ in }, shouldStop: { false })
        let ckpt = dir.appendingPathComponent("m.safetensors"), state = TrainingCheckpoint.stateURL(for: ckpt)
        let before = (try Data(contentsOf: ckpt), try Data(contentsOf: state))
        // A directory where the state's temporary file must go makes the save fail midway,
        // as a full disk would (root ignores permissions, so no chmod trick).
        try FileManager.default.createDirectory(at: dir.appendingPathComponent(".m.state.safetensors.tmp-\(getpid())-0"), withIntermediateDirectories: true)
        let run = try TrainingRun(source: source, settings: Self.settings(dir, epochs: 2), config: .tiny, resume: true)
        let error = #expect(throws: TrainingRunError.self) { _ = try run.run(onEvent: { _ in }, shouldStop: { false }) }
        print(error?.description ?? "")
        #expect(error?.description.contains("previous checkpoint is intact") == true)
        #expect(try Data(contentsOf: ckpt) == before.0 && Data(contentsOf: state) == before.1)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".m.safetensors.tmp-\(getpid())-0").path))
    }
}
