import Foundation
import Testing
import TestSupport

/// Every command (but tui and train) run for real on the shared cohort: exit 0, sensible
/// output, and `--json` that parses and has exactly the keys docs/json.md documents.
@Suite("m2ae commands on a small cohort")
struct CommandRunTests {
    // MARK: - Helpers

    /// Parses `r.stdout` as a JSON object and checks it against the docs/json.md section `heading`.
    @discardableResult
    func checkJSON(_ r: CommandRunner.Result, _ heading: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(r.status == 0, "\(r)", sourceLocation: sourceLocation)
        let object = try #require(r.jsonObject, "stdout is not one JSON object: \(r)", sourceLocation: sourceLocation)
        let schema = try DocumentedSchema(heading)
        let (required, all) = schema.topLevel
        let keys = Set(object.keys)
        #expect(keys.isSuperset(of: required) && keys.isSubset(of: all),
                "top-level keys \(keys.sorted()) vs documented \(all.sorted()) (required \(required.sorted()))", sourceLocation: sourceLocation)
        let problems = schema.problems(in: object)
        #expect(problems.isEmpty, "\(heading) disagrees with docs/json.md:\n\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return object
    }

    // MARK: - synth, info

    @Test func synthJSON() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(c.synth, "m2ae synth --out STORE --json")
        #expect(json["subjects"] as? Int == CLICohort.subjects)
        #expect(json["segments"] as? Int == CLICohort.segments)
        #expect(json["out"] as? String == c.store.path)
        let ecg = try #require(json["ecgClasses"] as? [String: Int])
        #expect(ecg.values.reduce(0, +) == CLICohort.subjects, "every subject has one ECG class: \(ecg)")
    }

    @Test func synthText() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-cli-synth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("two.h5")
        let r = try m2ae(["synth", "--subjects", "2", "--segments", "1", "--out", out.path])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.hasPrefix("wrote \(out.path): 2 subjects"), "\(r)")
        #expect(listing(folder) == ["two.h5"], "synth leaves only its store: \(listing(folder))")
    }

    @Test func synthIsByteForByteRepeatable() throws {
        // No HDF5 object timestamps and sorted JSON attributes: the same command gives the same
        // file, whenever it runs (the second run starts in a later second).
        let a = try TestSupport.temporaryFolder("m2ae-cli-synth-a"), b = try TestSupport.temporaryFolder("m2ae-cli-synth-b")
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let command = ["synth", "--subjects", "3", "--segments", "2", "--seed", "7", "--out", "same.h5"]
        try m2aeSucceeds(command, in: a)
        Thread.sleep(forTimeInterval: 1.1)
        try m2aeSucceeds(command, in: b)
        let first = try Data(contentsOf: a.appendingPathComponent("same.h5"))
        let second = try Data(contentsOf: b.appendingPathComponent("same.h5"))
        #expect(!first.isEmpty && first == second)
    }

    @Test func infoJSONAndText() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(try m2ae(["info", c.store.path, "--json"]), "m2ae info STORE --json")
        #expect(json["segments"] as? Int == CLICohort.segments)
        #expect(json["subjects"] as? Int == CLICohort.subjects)
        let models = try #require(json["models"] as? [[String: Any]])
        #expect(models.count == 1 && models[0]["id"] as? String == c.modelID)
        #expect(models.first?["fingerprints"] as? [String] == ["ecg+ppg", "ecg", "ppg"])
        let bare = try checkJSON(try m2ae(["info", c.bare.path, "--json"]), "m2ae info STORE --json")
        #expect((bare["models"] as? [Any])?.isEmpty == true)

        let text = try m2ae(["info", c.store.path])
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains(c.modelID) && text.stdout.contains("\(CLICohort.segments)"), "\(text)")
    }

    // MARK: - import, read

    /// A 30-s CSV at 125 Hz with an ECG-like and a PPG-like column (three segments).
    static func writeCSV(_ url: URL) throws {
        var text = "time,II,PLETH\n"
        for i in 0..<(30 * 125) {
            let t = Double(i) / 125
            let ecg = exp(-pow((t.truncatingRemainder(dividingBy: 0.8) - 0.4) / 0.01, 2)) + 0.05 * sin(2 * .pi * t)
            let ppg = 1 + 0.5 * sin(2 * .pi * t / 0.8)
            text += String(format: "%.3f,%.5f,%.5f\n", t, ecg, ppg)
        }
        try Data(text.utf8).write(to: url)
    }

    @Test func importAndRead() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-cli-import")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("walk.csv"), out = folder.appendingPathComponent("walk.h5")
        try Self.writeCSV(csv)

        let json = try checkJSON(try m2ae(["import", csv.path, "--out", out.path, "--json"]), "m2ae import PATH... --out STORE --json")
        #expect(json["segments"] as? Int == 3 && json["subjects"] as? Int == 1)
        let record = try #require((json["records"] as? [[String: Any]])?.first)
        #expect(record["ecgChannels"] as? [String] == ["II"] && record["ppgChannels"] as? [String] == ["PLETH"])
        #expect(record["format"] as? String == "CSV")
        #expect(listing(folder) == ["walk.csv", "walk.h5"], "import leaves only its store: \(listing(folder))")

        let text = try m2ae(["import", csv.path, "--out", out.path, "--subject", "s1"])
        #expect(text.status == 0 && text.stdout.contains("3 segments from 1 records"), "\(text)")
        let info = try m2ae(["info", out.path, "--json"])
        #expect(info.jsonObject?["segments"] as? Int == 3, "\(info)")

        let table = try m2ae(["read", csv.path, "--rows", "4"])
        #expect(table.status == 0 && table.stdout.contains("II") && table.stdout.contains("PLETH"), "\(table)")
        let rows = try m2ae(["read", csv.path, "--csv", "--rows", "2"])
        #expect(rows.status == 0, "\(rows)")
        let lines = rows.stdout.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines.count == 3, "header and two rows: \(rows)")
        #expect(lines.last.map { $0.split(separator: ",").count } == 3, "time, II, PLETH: \(rows)")
    }

    /// A manifest with relative paths, two recordings of one subject and label columns: the
    /// import's JSON and `m2ae info` (JSON and text) show the labels.
    @Test func importManifestAndInfoLabels() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-cli-manifest")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rec"), withIntermediateDirectories: true)
        try Self.writeCSV(folder.appendingPathComponent("rec/a1.csv"))
        try Self.writeCSV(folder.appendingPathComponent("rec/a2.csv"))
        try Self.writeCSV(folder.appendingPathComponent("rec/b1.csv"))
        let manifest = folder.appendingPathComponent("cohort.csv"), out = folder.appendingPathComponent("cohort.h5")
        try Data("path,subject,age,task\nrec/a1.csv,a,70,rest\nrec/a2.csv,a,70,walk\nrec/b1.csv,b,,rest\n".utf8).write(to: manifest)

        let json = try checkJSON(try m2ae(["import", "--manifest", manifest.path, "--out", out.path, "--json"]), "m2ae import PATH... --out STORE --json")
        #expect(json["subjects"] as? Int == 2 && json["segments"] as? Int == 9 && json["manifest"] as? String == manifest.path)
        #expect((json["records"] as? [[String: Any]])?.map { $0["line"] as? Int } == [2, 3, 4])
        let labels = try #require(json["labels"] as? [[String: Any]])
        #expect(labels.map { $0["name"] as? String } == ["age", "task"] && labels.map { $0["scope"] as? String } == ["subject", "record"])
        #expect(listing(folder) == ["cohort.csv", "cohort.h5", "rec", "rec/a1.csv", "rec/a2.csv", "rec/b1.csv"], "\(listing(folder))")

        let info = try checkJSON(try m2ae(["info", out.path, "--json"]), "m2ae info STORE --json")
        let table = try #require(info["labelTable"] as? [[String: Any]])
        #expect(table.map { $0["name"] as? String } == ["age", "task"])
        #expect(table[0]["kind"] as? String == "numeric" && table[0]["segments"] as? Int == 6 && table[0]["min"] as? Double == 70)
        #expect((table[1]["classes"] as? [[String: Any]])?.map { $0["segments"] as? Int } == [6, 3])
        let text = try m2ae(["info", out.path])
        #expect(text.stdout.contains("  task         binary       record          2         9  rest 6 · walk 3"), "\(text)")
        let imported = try m2ae(["import", "--manifest", manifest.path, "--out", out.path])
        #expect(imported.stdout.contains("label task [binary, per record]: rest, walk"), "\(imported)")
    }

    @Test("import and read of real WFDB records", .enabled(if: TestSupport.realDataFolder != nil,
                                                           "../shared/data/real is absent: no real recordings to import"))
    func importRealWFDB() throws {
        let wfdb = try #require(TestSupport.realDataFolder).appendingPathComponent("wfdb")
        let folder = try TestSupport.temporaryFolder("m2ae-cli-real")
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = wfdb.appendingPathComponent("v102s.hea"), out = folder.appendingPathComponent("v102s.h5")
        let json = try checkJSON(try m2ae(["import", record.path, "--out", out.path, "--json"]), "m2ae import PATH... --out STORE --json")
        let r = try #require((json["records"] as? [[String: Any]])?.first)
        #expect(r["format"] as? String == "WFDB 212" && r["record"] as? String == "v102s")
        #expect(r["ecgChannels"] as? [String] == ["II"] && r["ppgChannels"] as? [String] == ["PLETH"])
        #expect(json["segments"] as? Int == r["segments"] as? Int && (json["segments"] as? Int ?? 0) > 0)
        let table = try m2ae(["read", wfdb.appendingPathComponent("a103l.hea").path, "--rows", "2"])
        #expect(table.status == 0 && table.stdout.contains("PLETH") && table.stdout.contains("# Asystole"), "\(table)")
    }

    // MARK: - embed, reconstruct

    @Test func embedAgainIsANoOp() throws {
        let c = try CLICohort.get()
        let before = listing(c.folder)
        let r = try m2ae(["embed", c.store.path, "--model", c.model.path])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("already has the fingerprints of model \(c.modelID)"), "\(r)")
        #expect(listing(c.folder) == before)
    }

    @Test func reconstructOneSegment() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(try m2ae(["reconstruct", c.store.path, "--model", c.model.path, "--segment", "4",
                                           "--from", "masked", "--json"]),
                                 "m2ae reconstruct STORE --model CKPT --segment I --from SOURCE --json")
        #expect(json["segment"] as? Int == 4 && json["source"] as? String == "masked" && json["target"] as? String == "ecg")
        let text = try m2ae(["reconstruct", c.store.path, "--model", c.model.path, "--segment", "4", "--from", "ppg"])
        #expect(text.status == 0 && text.stdout.hasPrefix("segment 4 PPG → ECG: r = "), "\(text)")
    }

    @Test func reconstructAll() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(try m2ae(["reconstruct", c.store.path, "--model", c.model.path, "--all", "--from", "ecg", "--json"]),
                                 "m2ae reconstruct STORE --model CKPT --all --from SOURCE --json")
        #expect(json["model"] as? String == c.modelID && json["target"] as? String == "ppg")
        #expect((json["segments"] as? Int ?? 0) + (json["skipped"] as? Int ?? 0) == CLICohort.segments)
    }

    @Test func reconstructNeedsNoFingerprintsAndWritesNothing() throws {
        let c = try CLICohort.get()
        let before = listing(c.folder)
        let bytes = try Data(contentsOf: c.bare)
        let r = try m2ae(["reconstruct", c.bare.path, "--model", c.model.path, "--segment", "4", "--from", "ppg"])
        #expect(r.status == 0 && r.stdout.hasPrefix("segment 4 PPG → ECG: r = "), "\(r)")
        let after = try Data(contentsOf: c.bare)
        #expect(listing(c.folder) == before && after == bytes, "reconstruct must not write")
    }

    // MARK: - knn, project, predict, evaluate

    @Test func knn() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(try m2ae(["knn", c.store.path, "--segment", "0", "-k", "5", "--json"]), "m2ae knn STORE --segment I --json")
        let hits = try #require(json["neighbours"] as? [[String: Any]])
        #expect(hits.count == 5 && !hits.contains { $0["segment"] as? Int == 0 }, "\(hits)")
        #expect(json["model"] as? String == c.modelID && json["method"] as? String == "exact")

        let other = try checkJSON(try m2ae(["knn", c.store.path, "--segment", "0", "-k", "5", "--mode", "ppg",
                                            "--exclude-same-subject", "--json"]), "m2ae knn STORE --segment I --json")
        let subject = try #require(other["subject"] as? String)
        let otherHits = try #require(other["neighbours"] as? [[String: Any]])
        #expect(otherHits.count == 5 && !otherHits.contains { $0["subject"] as? String == subject }, "\(otherHits)")

        let text = try m2ae(["knn", c.store.path, "--segment", "1"])
        #expect(text.status == 0 && !text.stdout.isEmpty, "\(text)")
    }

    @Test func knnIndexOnACopy() throws {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-ivf")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("copy.h5")
        try FileManager.default.copyItem(at: c.store, to: store)
        let build = try m2ae(["knn", store.path, "--build-index", "--mode", "ppg"])
        #expect(build.status == 0 && build.stdout.isEmpty && build.stderr.contains("saved ppg IVF index"), "\(build)")
        let json = try checkJSON(try m2ae(["knn", store.path, "--segment", "3", "--mode", "ppg", "--method", "ivf", "-k", "4", "--json"]),
                                 "m2ae knn STORE --segment I --json")
        #expect(json["method"] as? String == "ivf" && json["indexRecallAt10"] is NSNumber, "\(json)")
        #expect((json["neighbours"] as? [Any])?.count == 4)
        #expect(listing(folder) == ["copy.h5"], "\(listing(folder))")
    }

    @Test func projectIntoACopy() throws {
        let c = try CLICohort.get()
        let folder = try TestSupport.temporaryFolder("m2ae-cli-project")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("copy.h5")
        try FileManager.default.copyItem(at: c.store, to: store)
        let json = try checkJSON(try m2ae(["project", store.path, "--umap-limit", "32", "--json"]), "m2ae project STORE --json")
        #expect(json["segments"] as? Int == CLICohort.segments && json["model"] as? String == c.modelID)
        let info = try m2ae(["info", store.path, "--json"])
        let models = info.jsonObject?["models"] as? [[String: Any]]
        #expect(models?.first?["projections"] as? [String] == ["pca", "umap"], "\(info)")
        #expect(listing(folder) == ["copy.h5"], "\(listing(folder))")
    }

    @Test func predict() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(try m2ae(["predict", c.store.path, "--segment", "2", "--model", c.model.path, "--json"]),
                                 "m2ae predict STORE --segment I --model CKPT --json")
        #expect(json["segment"] as? Int == 2 && json["model"] as? String == c.modelID)
        let text = try m2ae(["predict", c.store.path, "--segment", "2", "--model", c.model.path, "--mode", "ecg"])
        #expect(text.status == 0 && !text.stdout.isEmpty, "\(text)")
    }

    @Test func evaluateJSON() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(c.evaluate, "m2ae evaluate --train STORE --model CKPT --json")
        #expect(json["model"] as? String == c.modelID)
        #expect(json["probesFile"] as? String == c.probes.path)
        #expect(FileManager.default.fileExists(atPath: c.probes.path))
        let split = try #require(json["split"] as? [String: Any])
        #expect(split["kind"] as? String == "fixed-subject-split")
        let report = try String(contentsOf: c.report, encoding: .utf8)
        #expect(report.hasPrefix("# M2AE evaluation — model \(c.modelID)"), "\(report.prefix(200))")
        #expect((split["trainSubjects"] as? Int ?? 0) + (split["testSubjects"] as? Int ?? 0) == CLICohort.subjects)
    }

    // MARK: - bench

    /// The benchmarks that need no Python peer, at their smallest sizes (a smoke run: they
    /// print their table and exit 0; their numbers are not checked here).
    static let benches: [[String]] = [
        ["synth", "--subjects", "2", "--segments", "2", "--repeats", "1"],
        ["knn", "--rows", "1000", "--queries", "5", "--repeats", "1", "--no-faiss"],
        ["umap", "--points", "100", "--repeats", "1", "--sample", "30", "--no-peer"],
        ["engine", "--config", "tiny", "--batches", "1", "--repeats", "1", "--no-torch"],
    ]

    @Test("bench smoke runs", arguments: benches)
    func benchSmall(_ arguments: [String]) throws {
        let r = try CommandRunner.run(arguments, product: "m2ae-bench")
        #expect(r.status == 0, "\(r)")
        let expected = ["synth": "segments generated", "knn": "Swift IVF", "umap": "Swift UMAP", "engine": "swift seg/s"][arguments[0]]!
        #expect(r.stdout.contains(expected), "\(r)")
    }
}

// MARK: - Per-segment outputs (predict --all, reconstruct --per-segment)

extension CommandRunTests {
    /// Every line of `text` parsed as a JSON object and checked against the docs/json.md section `heading`.
    func checkJSONLines(_ text: String, _ heading: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let schema = try DocumentedSchema(heading)
        let (required, all) = schema.topLevel
        var out: [[String: Any]] = []
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)",
                                      sourceLocation: sourceLocation)
            let keys = Set(object.keys)
            #expect(keys.isSuperset(of: required) && keys.isSubset(of: all), "keys \(keys.sorted()) vs \(all.sorted())", sourceLocation: sourceLocation)
            let problems = schema.problems(in: object)
            #expect(problems.isEmpty, "\(heading):\n\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
            out.append(object)
        }
        return out
    }

    /// The tiny cohort's held-out subjects are too few to calibrate, so its probes have no
    /// familiarity: every output says "familiarity unknown", none invents a default.
    @Test func predictAllStreamsJSONLinesAndCSVWithFamiliarityUnknown() throws {
        let c = try CLICohort.get()
        let json = try m2ae(["predict", c.store.path, "--all", "--model", c.model.path, "--json"])
        #expect(json.status == 0 && json.stderr.contains("familiarity unknown"), "\(json)")
        let rows = try checkJSONLines(json.stdout, "m2ae predict STORE --all --model CKPT --json|--csv")
        #expect(rows.count == CLICohort.segments)
        #expect(rows.map { $0["segment"] as? Int } == (0..<CLICohort.segments).map { $0 })
        #expect(rows.allSatisfy { $0["familiarity"] is NSNull && $0["reliable"] is NSNull && $0["labels"] as? String == "generated" })
        let csv = try m2ae(["predict", c.store.path, "--all", "--model", c.model.path, "--csv", "--mode", "ecg"])
        let lines = csv.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(csv.status == 0 && lines.count == CLICohort.segments + 1, "\(csv)")
        #expect(lines.first?.hasPrefix("segment,subject,familiarity,distance,reconstruction_error,reliable,labels,cvd5-ecg,cvd5-ecg:") == true, "\(csv)")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[5] == "unknown" })
        let one = try m2ae(["predict", c.store.path, "--segment", "2", "--model", c.model.path])
        #expect(one.status == 0 && one.stdout.contains("familiarity unknown"), "\(one)")
        let bad = try m2ae(["predict", c.store.path, "--all", "--model", c.model.path])
        #expect(bad.status != 0 && bad.stderr.contains("--all needs --json (JSON lines) or --csv"), "\(bad)")
    }

    /// One row per segment; the shape r (best lag within half a beat, lag 0 included) is never
    /// below the zero-lag r.
    @Test func reconstructPerSegmentCSVAndJSONLines() throws {
        let c = try CLICohort.get()
        let csv = try m2ae(["reconstruct", c.store.path, "--model", c.model.path, "--all", "--per-segment", "--csv", "--from", "ppg"])
        let lines = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(csv.status == 0 && lines.count == CLICohort.segments + 1, "\(csv)")
        #expect(lines.first == ["segment", "subject", "source", "target", "pearson", "shape_pearson", "shape_lag_s", "rmse",
                                "hr_true", "hr_reconstructed", "hr_difference"])
        for row in lines.dropFirst() {
            if let r = Double(row[4]), let shape = Double(row[5]) { #expect(shape >= r - 1e-3, "\(row)") }
        }
        let json = try m2ae(["reconstruct", c.store.path, "--model", c.model.path, "--all", "--per-segment", "--json", "--from", "ecg"])
        #expect(json.status == 0, "\(json)")
        let rows = try checkJSONLines(json.stdout, "m2ae reconstruct STORE --model CKPT --all --per-segment --csv|--json")
        #expect(rows.count == CLICohort.segments)
    }
}

// MARK: - evaluate --unlabelled

extension CommandRunTests {
    @Test func evaluateUnlabelledJSONAndAStoreWithoutPPG() throws {
        let c = try CLICohort.get()
        let json = try checkJSON(try m2ae(["evaluate", "--unlabelled", c.store.path, "--model", c.model.path, "--bootstrap", "10", "--json"]),
                                 "m2ae evaluate --unlabelled STORE --model CKPT --json")
        #expect(json["segments"] as? Int == CLICohort.segments && json["model"] as? String == c.modelID)
        let retrieval = try #require(json["retrieval"] as? [String: Any])
        #expect(abs((retrieval["chance"] as? Double ?? 0) - 1 / Double(CLICohort.segments)) < 1e-9, "\(retrieval)")
        let unfamiliar = try #require(json["unfamiliar"] as? [String: Any])
        #expect((unfamiliar["note"] as? String)?.hasPrefix("familiarity unknown") == true, "\(unfamiliar)")
        let ppgToECG = try #require(json["ppgToECG"] as? [String: Any])
        #expect(ppgToECG["segments"] as? Int == CLICohort.segments)
        #expect(ppgToECG["pearsonAsRecorded"] == nil, "generated records have no measured device delay")
        let text = try m2ae(["evaluate", "--unlabelled", c.store.path, "--model", c.model.path, "--bootstrap", "10"])
        #expect(text.status == 0 && text.stdout.contains("PPG → ECG   zero-lag r (median)"), "\(text)")
        #expect(text.stdout.contains("n/a (no measured device delay in the store)"), "\(text)")

        // A paired recording whose PPG arrives 0.55 s after the R peak: the import measures the
        // delay, and PPG → ECG is also scored with the PPG as recorded.
        let folder = try TestSupport.temporaryFolder("m2ae-unlabelled")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pairedCSV = folder.appendingPathComponent("paired.csv"), paired = folder.appendingPathComponent("paired.h5")
        let beats = stride(from: 0.2, to: 40, by: 0.8).enumerated().map { $1 + 0.04 * sin(Double($0)) }
        let rows = (0..<(125 * 40)).map { i -> String in
            let t = Double(i) / 125
            let near = beats.filter { abs(t - $0) < 1.5 }
            let e = near.reduce(0.0) { $0 + exp(-0.5 * pow((t - $1) / 0.012, 2)) }
            let p = near.reduce(0.0) { $0 + exp(-0.5 * pow((t - $1 - 0.63) / 0.08, 2)) }
            return String(format: "%.5f,%.5f", e, p)
        }
        try (["ECG,PPG"] + rows).joined(separator: "\n").write(to: pairedCSV, atomically: true, encoding: .utf8)
        let imported = try checkJSON(try m2ae(["import", pairedCSV.path, "--rate", "125", "--out", paired.path, "--json"]),
                                     "m2ae import PATH... --out STORE --json")
        let record = try #require((imported["records"] as? [[String: Any]])?.first)
        #expect(abs((record["ppgDelay"] as? Double ?? 0) - 0.55) <= 0.008 + 1e-9, "\(record)")
        try m2aeSucceeds(["embed", paired.path, "--model", c.model.path])
        let withDelay = try checkJSON(try m2ae(["evaluate", "--unlabelled", paired.path, "--model", c.model.path, "--bootstrap", "10", "--json"]),
                                      "m2ae evaluate --unlabelled STORE --model CKPT --json")
        let asRecorded = try #require((withDelay["ppgToECG"] as? [String: Any])?["pearsonAsRecorded"] as? [String: Any])
        #expect(abs(asRecorded["value"] as? Double ?? 2) <= 1, "\(asRecorded)")

        // An ECG-only recording: one line naming the store and the problem.
        let csv = folder.appendingPathComponent("ecg-only.csv"), store = folder.appendingPathComponent("ecg-only.h5")
        let samples = (0..<(125 * 20)).map { i in String(format: "%.4f", sin(Double(i) * 2 * .pi * 1.2 / 125)) }
        try (["ECG"] + samples).joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        try m2aeSucceeds(["import", csv.path, "--rate", "125", "--out", store.path])
        let bad = try m2ae(["evaluate", "--unlabelled", store.path, "--model", c.model.path])
        #expect(bad.status != 0 && bad.stderr.split(separator: "\n").count == 1, "\(bad)")
        #expect(bad.stderr.contains(store.path) && bad.stderr.contains("no segment has both an ECG and a PPG"), "\(bad)")
    }
}
