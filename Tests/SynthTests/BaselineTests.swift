import Foundation
import Testing
@testable import Synth
import Store
import TestSupport

/// Writes a cohort store and runs the hand-crafted-feature baseline on it: every task must be
/// learnable (well above chance) and no task trivially separable (below perfect).
@Suite struct BaselineTests {
    struct Row: Decodable { var task: String; var value: [Double]?; var chance: [Double]? }
    struct Table: Decodable { var segments: Int; var subjects: Int; var rows: [Row] }

    @Test func baselineIsAboveChanceAndBelowPerfect() throws {
        if let missing = Python.missing(["h5py", "scipy", "sklearn"]) {
            if Python.required { Issue.record("Python modules missing: \(missing)") }
            print("skipping the baseline oracle: Python modules missing: \(missing)")
            return
        }
        let folder = try TestSupport.temporaryFolder("m2ae-synth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cohort.h5")
        let g = CohortGenerator(seed: 21)
        let subjects = (0..<300).map { g.subject($0) }
        let writer = try StoreWriter(url: url, subjects: subjects.map(\.subject), attributes: ["generator": "SynthTests"])
        for s in subjects { try writer.append((0..<3).map { g.segment(s, index: $0).segment }) }
        try writer.commit()

        let out = try Python.script("scripts/synth_baseline.py", [url.path, "--json"])
        let table = try JSONDecoder().decode(Table.self, from: Data(out.utf8))
        #expect(table.segments == 900 && table.subjects == 300)
        func row(_ task: String) -> [Double] { table.rows.first { $0.task == task }?.value ?? [] }
        for task in ["CVD 5-class (ECG)", "CVD 3-class (PPG)", "hypertension", "sex"] {
            let auroc = row(task).first ?? 0
            #expect(auroc > 0.7 && auroc < 0.99, "\(task) AUROC \(auroc)")
        }
        let mortality = row("mortality").first ?? 0
        #expect(mortality > 0.52 && mortality < 0.9, "mortality AUROC \(mortality)")
        let ageR = row("age").last ?? 0
        #expect(ageR > 0.4 && ageR < 0.95, "age Pearson r \(ageR)")
    }
}
