import ArgumentParser
import Foundation
import Store
import Synth

extension M2AE {
    /// `m2ae synth`: Generate a synthetic labelled ECG+PPG cohort into a new store.
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Generate a synthetic labelled ECG+PPG cohort into a new store.",
            discussion: """
                Subjects are drawn from a physiological model (ECGSYN ECG and a forward/reflected-wave \
                PPG on one shared RR process; docs/synth.md). The same seed always gives the same \
                store contents. The store is written to a temporary file and renamed into place.
                """
        )

        @Option(help: "Number of subjects.")
        var subjects: Int = 300
        @Option(help: "Segments (10 s each) per subject.")
        var segments: Int = 6
        @Option(help: "Random seed: the same seed gives the same cohort, sample for sample.")
        var seed: UInt64 = 1
        @Option(help: "Share of segments with one recording defect (motion, baseline wander, clipping, missing samples), 0–1.")
        var defectRate: Double = 0.1
        @Option(help: "The store to create (an existing file is replaced only once the new one is complete).")
        var out: String
        @Flag(help: "Print the summary as JSON (docs/synth.md has the schema).")
        var json = false

        func validate() throws {
            guard subjects >= 1, subjects <= 1_000_000 else { throw ValidationError("--subjects must be 1…1000000, got \(subjects)") }
            guard segments >= 1, segments <= 10_000 else { throw ValidationError("--segments must be 1…10000, got \(segments)") }
            guard (0...1).contains(defectRate) else { throw ValidationError("--defect-rate must be in 0…1, got \(defectRate)") }
        }

        func run() throws {
            let summary = try generate()
            if json { try printJSON(summary) } else { print(summary.text) }
        }
    }
}

// MARK: - Generation

extension M2AE.Synth {
    /// What `m2ae synth` reports (its `--json` schema).
    struct Summary: Encodable {
        var out: String
        var seed: UInt64
        var subjects: Int
        var segments: Int
        var defectRate: Double
        /// Subjects per ECG class (NSR, AF, PVC, MI, BBB) and per PPG class (normal, AF, ectopic).
        var ecgClasses: [String: Int]
        var ppgClasses: [String: Int]
        var hypertension: Int
        var mortality: Int
        var female: Int
        var meanAge: Double
        /// Segments with an injected defect, and with any quality flag set.
        var defective: Int
        var flagged: Int
        var seconds: Double
        var segmentsPerSecond: Double
        var bytes: Int

        var text: String {
            func pct(_ n: Int, _ d: Int) -> String { String(format: "%.1f%%", 100 * Double(n) / Double(max(d, 1))) }
            let ecg = ECGClass.names.map { "\($0) \(ecgClasses[$0] ?? 0)" }.joined(separator: ", ")
            let ppg = PPGClass.names.map { "\($0) \(ppgClasses[$0] ?? 0)" }.joined(separator: ", ")
            return """
                wrote \(out): \(subjects) subjects × \(segments / max(subjects, 1)) segments = \(segments) segments, \
                \(String(format: "%.1f", Double(bytes) / 1_048_576)) MB, seed \(seed)
                  ECG classes: \(ecg)
                  PPG classes: \(ppg)
                  hypertension \(pct(hypertension, subjects)), mortality \(pct(mortality, subjects)), \
                female \(pct(female, subjects)), mean age \(String(format: "%.1f", meanAge))
                  defects injected in \(pct(defective, segments)) of segments (rate \(defectRate)), \
                quality-flagged \(pct(flagged, segments))
                  \(String(format: "%.2f s, %.0f segments/s", seconds, segmentsPerSecond))
                """
        }
    }

    /// Generates the cohort into `--out` and returns its summary.
    func generate() throws -> Summary {
        let url = URL(fileURLWithPath: out)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("\(out): folder \(directory.path) does not exist")
        }
        noteRemovedLeftovers(of: url)
        let config = SynthConfig(defectRate: defectRate)
        let generator = CohortGenerator(seed: seed, config: config)
        let started = Date()
        let cohort = (0..<subjects).map { generator.subject($0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]   // the same seed gives the same bytes
        let configJSON = String(decoding: try encoder.encode(config), as: UTF8.self)
        let writer = try StoreWriter(url: url, subjects: cohort.map(\.subject), attributes: [
            "generator": "m2ae synth (Synth.CohortGenerator, docs/synth.md)",
            "command": "m2ae synth --subjects \(subjects) --segments \(segments) --seed \(seed) --defect-rate \(defectRate) --out \(url.lastPathComponent)",
            "seed": String(seed),
            "synth_config": configJSON,
        ])
        let progress = ProgressBar("synth", total: subjects * segments, unit: "seg")
        var defective = 0, flagged = 0
        var batch: [Segment] = []
        batch.reserveCapacity(256)
        for s in cohort {
            for j in 0..<segments {
                let g = generator.segment(s, index: j)
                if !g.defects.isEmpty { defective += 1 }
                if !g.segment.meta.ecgQuality.isClean || !g.segment.meta.ppgQuality.isClean { flagged += 1 }
                batch.append(g.segment)
            }
            if batch.count >= 256 { try writer.append(batch); progress.advance(by: batch.count); batch.removeAll(keepingCapacity: true) }
        }
        try writer.append(batch)
        progress.advance(by: batch.count)
        try writer.commit()
        progress.finish()
        let seconds = Date().timeIntervalSince(started)
        let labels = cohort.map(\.subject.labels)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        return Summary(
            out: out, seed: seed, subjects: subjects, segments: subjects * segments, defectRate: defectRate,
            ecgClasses: Dictionary(grouping: labels.compactMap(\.ecgClass)) { ECGClass.names[Int($0.rawValue)] }.mapValues(\.count),
            ppgClasses: Dictionary(grouping: labels.compactMap(\.ppgClass)) { PPGClass.names[Int($0.rawValue)] }.mapValues(\.count),
            hypertension: labels.filter { $0.hypertension == true }.count,
            mortality: labels.filter { $0.mortality == true }.count,
            female: labels.filter { $0.sex == .female }.count,
            meanAge: labels.compactMap(\.age).map(Double.init).reduce(0, +) / Double(subjects),
            defective: defective, flagged: flagged, seconds: seconds,
            segmentsPerSecond: Double(subjects * segments) / max(seconds, 1e-9), bytes: bytes)
    }
}
