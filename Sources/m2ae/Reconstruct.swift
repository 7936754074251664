import ArgumentParser
import Foundation
import Model
import Pipelines
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
            var shapePearson: Quartiles?
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
        @Flag(help: "With --all: one row per segment instead of the summary, streamed (needs --csv or --json).")
        var perSegment = false
        @Flag(help: "With --per-segment: CSV (docs/json.md).")
        var csv = false
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
            guard !perSegment || all else { throw ValidationError("--per-segment goes with --all") }
            guard !(json && csv) else { throw ValidationError("give at most one of --json and --csv") }
            if perSegment { guard json || csv else { throw ValidationError("--per-segment needs --csv or --json (JSON lines)") } }
            if csv && !perSegment { throw ValidationError("--csv goes with --all --per-segment") }
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
                if perSegment { try streamRows(r, recordStore); return }
                let bar = ProgressBar("reconstruct", total: recordStore.segmentCount, unit: "seg")
                let scores = try r.scores(store: recordStore, 0..<recordStore.segmentCount, from: from) { done, _ in
                    bar.advance(by: done - bar.done)
                }
                bar.finish()
                let ok = scores.compactMap { $0 }
                let summary = Summary(from: from, target: from.target, model: model.id, segments: ok.count,
                                      skipped: scores.count - ok.count,
                                      pearson: Quartiles(ok.compactMap(\.pearson)), shapePearson: Quartiles(ok.compactMap(\.shapePearson)),
                                      rmse: Quartiles(ok.map(\.rmse)),
                                      absHeartRateDifference: Quartiles(ok.compactMap { $0.heartRateDifference.map(abs) }))
                if json { try printJSON(summary) } else { print(Self.table(summary)) }
            } catch let e as CLIError {
                throw e
            } catch {
                throw CLIError(String(describing: error))
            }
        }

        /// Scores every segment in blocks of 1,024 and writes one row each (segments lacking a
        /// modality get a row with empty scores), so memory does not grow with the store.
        private func streamRows(_ r: Reconstructor, _ recordStore: RecordStore) throws {
            let out = BufferedOutput()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            if csv { out.write("segment,subject,source,target,pearson,shape_pearson,shape_lag_s,rmse,hr_true,hr_reconstructed,hr_difference\n") }
            let bar = ProgressBar("reconstruct", total: recordStore.segmentCount, unit: "seg")
            var lo = 0
            while lo < recordStore.segmentCount {
                let hi = min(recordStore.segmentCount, lo + 1024)
                let scores = try r.scores(store: recordStore, lo..<hi, from: from)
                let subjects = try recordStore.subjectIndices(lo..<hi)
                for (i, score) in scores.enumerated() {
                    let si = Int(subjects[i]), subject = recordStore.subjects.indices.contains(si) ? recordStore.subjects[si].id : ""
                    if csv {
                        let f = { (v: Double?) in v.map { String(format: "%.4f", $0) } ?? "" }
                        out.write([String(lo + i), csvField(subject), from.rawValue, from.target.rawValue, f(score?.pearson), f(score?.shapePearson),
                                   f(score?.shapeLag), f(score?.rmse), f(score?.heartRateTrue), f(score?.heartRateReconstructed),
                                   f(score?.heartRateDifference)].joined(separator: ",") + "\n")
                    } else {
                        out.write(try encoder.encode(SegmentRow(segment: lo + i, subject: subject, score: score))); out.write("\n")
                    }
                }
                bar.advance(by: hi - lo)
                lo = hi
            }
            out.flush()
            bar.finish()
        }

        /// One JSON line of --per-segment: the segment, its subject and its score (null when a modality is missing).
        struct SegmentRow: Encodable {
            var segment: Int
            var subject: String
            var score: ReconstructionScore?
            enum Key: String, CodingKey { case segment, subject, score }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(segment, forKey: .segment); try c.encode(subject, forKey: .subject); try c.encode(score, forKey: .score)
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
            for (name, q) in [("Pearson r", s.pearson), ("shape r", s.shapePearson), ("RMSE", s.rmse), ("|ΔHR| bpm", s.absHeartRateDifference)] {
                guard let q else { lines.append(name.padding(toLength: 12, withPad: " ", startingAt: 0) + "   n/a"); continue }
                lines.append(name.padding(toLength: 12, withPad: " ", startingAt: 0)
                             + String(format: "%8.3f%8.3f%8.3f%8d", q.median, q.q1, q.q3, q.count))
            }
            return lines.joined(separator: "\n")
        }
    }
}

extension ReconstructionSource: ExpressibleByArgument {}
