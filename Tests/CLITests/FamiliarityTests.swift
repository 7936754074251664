import Foundation
import Testing
import TestSupport

/// The familiarity check of a model trained on generated people only (`0181fd1c85f6`, shipped
/// before real recordings were used; kept in Tests/fixtures with its probes and calibration),
/// run for real through `m2ae import`, `embed` and `predict --all`: generated in-domain segments
/// pass, real recordings (ICU alarms a103l and v102s, a healthy volunteer's NeuroKit CSV) are
/// flagged. `ShippedFamiliarityTests` has the shipped model on real people it never saw.
@Suite("familiarity of the synthetic-only model", .serialized)
struct FamiliarityTests {
    static let checkpoint = TestSupport.projectRoot.appendingPathComponent("Tests/fixtures/m2ae-small-synthetic.safetensors")

    /// (segment, subject, reliable) of every row of `predict --all --csv`.
    func reliability(_ store: URL) throws -> [(subject: String, reliable: String)] {
        let r = try m2ae(["predict", store.path, "--all", "--csv", "--model", Self.checkpoint.path])
        #expect(r.status == 0, "\(r)")
        #expect(r.stderr.contains("generated labels only"), "\(r)")
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first?[5] == "reliable")
        return rows.dropFirst().map { ($0[1], $0[5]) }
    }

    @Test func generatedInDomainSegmentsPass() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-familiar-synth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("synth.h5")
        try m2aeSucceeds(["synth", "--subjects", "12", "--segments", "8", "--seed", "99", "--out", store.path])
        try m2aeSucceeds(["embed", store.path, "--model", Self.checkpoint.path])
        let rows = try reliability(store)
        let pass = Double(rows.filter { $0.reliable == "true" }.count) / Double(rows.count)
        print("familiarity: \(rows.count) generated segments (12 new subjects), \(String(format: "%.1f", pass * 100)) % pass")
        // Calibrated for 95 % of held-out in-domain segments; 96 segments of 12 subjects leave sampling noise.
        #expect(rows.count == 96 && pass >= 0.85, "pass \(pass)")
    }

    @Test("real out-of-domain recordings are flagged", .enabled(if: TestSupport.realDataFolder != nil,
                                                              "../shared/data/real is absent: no real recordings to import"))
    func realRecordingsAreFlagged() throws {
        let real = try #require(TestSupport.realDataFolder)
        let folder = try TestSupport.temporaryFolder("m2ae-familiar-real")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("real.h5")
        try m2aeSucceeds(["import", real.appendingPathComponent("wfdb/a103l.hea").path, real.appendingPathComponent("wfdb/v102s.hea").path,
                          real.appendingPathComponent("csv/neurokit_bio_resting_5min_100hz.csv").path, "--rate", "100", "--out", store.path])
        try m2aeSucceeds(["embed", store.path, "--model", Self.checkpoint.path])
        let rows = try reliability(store)
        #expect(rows.allSatisfy { $0.reliable == "true" || $0.reliable == "false" }, "every segment judged, none unknown")
        var flagged: [String: Double] = [:]
        for subject in Set(rows.map(\.subject)) {
            let mine = rows.filter { $0.subject == subject }
            flagged[subject] = Double(mine.filter { $0.reliable == "false" }.count) / Double(mine.count)
        }
        let all = Double(rows.filter { $0.reliable == "false" }.count) / Double(rows.count)
        print("familiarity: \(rows.count) real segments, \(String(format: "%.1f", all * 100)) % flagged; per record \(flagged.mapValues { (($0 * 1000).rounded() / 10) })")
        // Measured 80 % flagged (a103l 85 %, v102s 90 %, NeuroKit 63 %; 84 % before the importer
        // measured device delays and the model saw NeuroKit's PPG moved to 0.30 s); the bound
        // leaves room for the detector and importer changes other work brings.
        #expect(rows.count == 93 && all >= 0.7, "flagged \(all)")
        #expect(flagged.values.allSatisfy { $0 >= 0.5 }, "\(flagged)")
    }
}

/// The shipped model was trained on real recordings too (docs/training.md): real segments of
/// people it never saw (the NeuroKit and pyphysio volunteers, held out from its training) must
/// mostly pass its familiarity check, or the flag would hide everything (issue 15's ≥ 80 %).
@Suite("familiarity of the shipped model on held-out real people", .serialized)
struct ShippedFamiliarityTests {
    static let checkpoint = TestSupport.projectRoot.appendingPathComponent("sample-data/m2ae-small.safetensors")

    @Test("held-out real volunteers pass", .enabled(if: TestSupport.realDataFolder != nil,
                                                   "../shared/data/real is absent: no real recordings to import"))
    func heldOutRealVolunteersPass() throws {
        let real = try #require(TestSupport.realDataFolder)
        let folder = try TestSupport.temporaryFolder("m2ae-familiar-shipped")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = folder.appendingPathComponent("heldout.csv"), store = folder.appendingPathComponent("heldout.h5")
        try """
        path,subject,ecg,ppg,rate
        \(real.path)/csv/neurokit_bio_resting_5min_100hz.csv,neurokit,ECG,PPG,100
        \(real.path)/csv/pyphysio_medical_2048hz.tsv,pyphysio,0,2,2048

        """.write(to: manifest, atomically: true, encoding: .utf8)
        try m2aeSucceeds(["import", "--manifest", manifest.path, "--out", store.path])
        try m2aeSucceeds(["embed", store.path, "--model", Self.checkpoint.path])
        let r = try m2ae(["predict", store.path, "--all", "--csv", "--model", Self.checkpoint.path])
        #expect(r.status == 0, "\(r)")
        let rows = r.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let pass = Double(rows.filter { $0[5] == "true" }.count) / Double(rows.count)
        print("familiarity of the shipped model: \(rows.count) held-out real segments, \(String(format: "%.1f", pass * 100)) % pass")
        #expect(rows.count == 42 && pass >= 0.8, "pass \(pass)")
    }
}
