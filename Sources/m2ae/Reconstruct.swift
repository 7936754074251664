import ArgumentParser
import Foundation
import Model
import Store

extension M2AE {
    /// `m2ae reconstruct`: Reconstruct one modality from the other, or masked patches, and score it.
    struct Reconstruct: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reconstruct",
            abstract: "Reconstruct one modality from the other, or masked patches, and score it.",
            discussion: """
            --from ppg scores the ECG rebuilt from the PPG alone, --from ecg the PPG rebuilt from \
            the ECG, --from masked the hidden half of the ECG under complementary masks. Metrics: \
            Pearson r and RMSE against the prepared (z-scored) truth, and for ECG targets the \
            heart-rate difference (bpm). The store must hold the model's fingerprints (m2ae embed).
            """
        )

        /// One value of the `--all` summary.
        struct Summary: Encodable {
            var from: ReconstructionSource
            var target: Modality
            var model: String
            var segments: Int
            var skipped: Int
            var pearson: Quartiles?
            var rmse: Quartiles?
            var absHeartRateDifference: Quartiles?
        }

        @Argument(help: "The record store (.h5).")
        var store: String
        @OptionGroup var modelOptions: ModelOptions
        @Option(help: "The segment to reconstruct.")
        var segment: Int?
        @Flag(help: "Score every segment and print medians and quartiles.")
        var all = false
        @Option(help: "What to reconstruct from: ppg, ecg or masked.")
        var from: ReconstructionSource
        @Option(help: "Seed of the complementary masks (segment i uses seed + i).")
        var maskSeed: UInt64 = 0
        @Option(help: "Segments per forward pass.")
        var batch: Int = 64
        @Flag(help: "Print JSON (docs/model.md).")
        var json = false

        func validate() throws {
            guard (segment != nil) != all else { throw ValidationError("give exactly one of --segment I and --all") }
            guard batch >= 1, batch <= 4096 else { throw ValidationError("--batch must be in 1...4096") }
        }

        func run() throws {
            do {
                let recordStore = try RecordStore(url: URL(fileURLWithPath: store))
                // Reconstruction needs the weights and the signals only (no fingerprints), and never
                // writes: a --init random model is made in memory.
                let model = try modelOptions.load(write: false)
                let r = Reconstructor(model: model, batchSize: batch, maskSeed: maskSeed)
                if let segment {
                    guard segment >= 0, segment < recordStore.segmentCount else {
                        throw CLIError("\(store): segment \(segment) out of range (the store has \(recordStore.segmentCount))")
                    }
                    guard let score = try r.scores(store: recordStore, segment..<(segment + 1), from: from)[0] else {
                        throw CLIError("\(store): segment \(segment) lacks the ECG or the PPG, nothing to score")
                    }
                    if json { try printJSON(score) } else { print(Self.line(score)) }
                    return
                }
                let bar = ProgressBar("reconstruct", total: recordStore.segmentCount, unit: "seg")
                let scores = try r.scores(store: recordStore, 0..<recordStore.segmentCount, from: from) { done, _ in
                    bar.advance(by: done - bar.done)
                }
                bar.finish()
                let ok = scores.compactMap { $0 }
                let summary = Summary(from: from, target: from.target, model: model.id, segments: ok.count,
                                      skipped: scores.count - ok.count,
                                      pearson: Quartiles(ok.compactMap(\.pearson)), rmse: Quartiles(ok.map(\.rmse)),
                                      absHeartRateDifference: Quartiles(ok.compactMap { $0.heartRateDifference.map(abs) }))
                if json { try printJSON(summary) } else { print(Self.table(summary)) }
            } catch let e as CLIError {
                throw e
            } catch {
                throw CLIError(String(describing: error))
            }
        }

        // MARK: - Text output

        static func line(_ s: ReconstructionScore) -> String {
            let what = s.source == .masked ? "masked ECG" : "\(s.source.rawValue.uppercased()) → \(s.target.rawValue.uppercased())"
            var text = "segment \(s.segment) \(what): r = " + (s.pearson.map { String(format: "%.3f", $0) } ?? "n/a")
                + String(format: ", RMSE = %.3f", s.rmse)
            if s.target == .ecg {
                let f = { (v: Double?) in v.map { String(format: "%.1f", $0) } ?? "n/a" }
                text += ", HR \(f(s.heartRateReconstructed)) vs \(f(s.heartRateTrue)) bpm"
                if let d = s.heartRateDifference { text += String(format: " (Δ %+.1f)", d) }
            }
            return text
        }

        static func table(_ s: Summary) -> String {
            var lines = ["reconstruct --from \(s.from.rawValue) (target \(s.target.rawValue.uppercased()), model \(s.model)): \(s.segments) segments, \(s.skipped) skipped",
                         "metric        median      Q1      Q3       n"]
            for (name, q) in [("Pearson r", s.pearson), ("RMSE", s.rmse), ("|ΔHR| bpm", s.absHeartRateDifference)] {
                guard let q else { lines.append(name.padding(toLength: 12, withPad: " ", startingAt: 0) + "   n/a"); continue }
                lines.append(name.padding(toLength: 12, withPad: " ", startingAt: 0)
                             + String(format: "%8.3f%8.3f%8.3f%8d", q.median, q.q1, q.q3, q.count))
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension ReconstructionSource: ExpressibleByArgument {}
