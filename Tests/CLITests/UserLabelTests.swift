import Foundation
import Testing
import TestSupport

/// A user's own labels end to end on a generated cohort: `m2ae label` adds them (and refuses
/// bad files, leaving the store byte-identical), `m2ae evaluate --task` probes them, the probes
/// file keeps their heads and `m2ae predict` prints them.
@Suite("m2ae label, evaluate --task and predict on a user's labels")
struct UserLabelTests {
    /// A copy of the shared cohort and its checkpoint in a folder of its own (evaluate writes
    /// the probes file beside the checkpoint).
    static func scratch() throws -> (folder: URL, store: URL, model: URL) {
        let c = try CLICohort.get()
        let folder = c.folder.appendingPathComponent("user-labels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("cohort.h5"), model = folder.appendingPathComponent("tiny.safetensors")
        try FileManager.default.copyItem(at: c.store, to: store)
        try FileManager.default.copyItem(at: c.model, to: model)
        return (folder, store, model)
    }

    /// Subject ids of the shared cohort (`m2ae synth` names them S00000, S00001, …).
    static let ids = (0..<CLICohort.subjects).map { String(format: "S%05d", $0) }

    @Test func labelEvaluateAndPredict() throws {
        let (folder, store, model) = try Self.scratch()
        let subjects = folder.appendingPathComponent("subjects.csv"), records = folder.appendingPathComponent("records.csv")
        // A binary word label (one missing), a three-class label and a number per subject;
        // a one-class label per record (four records are 'rest', the others unlabelled).
        var text = "subject,smoker,stage,bmi\n"
        for (i, id) in Self.ids.enumerated() { text += "\(id),\(i == 5 ? "" : i % 2 == 0 ? "yes" : "no"),\(["I", "II", "III"][i % 3]),\(20 + i)\n" }
        try Data(text.utf8).write(to: subjects)
        try Data("record,posture\nS00000_r0,rest\nS00001_r0,rest\nS00002_r0,rest\nS00003_r0,rest\n".utf8).write(to: records)

        let added = try m2aeSucceeds(["label", store.path, subjects.path, "--by", "subject"])
        #expect(added.stdout.contains("label smoker: binary (no, yes), per subject, 11 of 12 subjects have a value"), "\(added)")
        try m2aeSucceeds(["label", store.path, records.path, "--by", "record"])
        let info = try m2aeSucceeds(["info", store.path, "--json"])
        let table = try #require(info.jsonObject?["labelTable"] as? [[String: Any]], "\(info)")
        #expect(table.compactMap { $0["name"] as? String } == ["bmi", "posture", "smoker", "stage"])

        // Refused: the same names again, ids of nobody, a mixed column; nothing changes.
        let before = try Data(contentsOf: store)
        let again = try m2ae(["label", store.path, subjects.path, "--by", "subject"])
        #expect(again.status == 1 && again.stderrLines == ["Error: \(store.path): a label named 'smoker' already exists; pass --replace to replace it"], "\(again)")
        let nobody = folder.appendingPathComponent("nobody.csv")
        try Data("subject,x\nS00000,1\nP1,2\nP2,3\n".utf8).write(to: nobody)
        let unmatched = try m2ae(["label", store.path, nobody.path, "--by", "subject"])
        #expect(unmatched.status == 1 && unmatched.stderrLines.count == 1
                && unmatched.stderr.contains("2 of 3 ids match no subject of \(store.path) (1 matched)"), "\(unmatched)")
        let mixed = folder.appendingPathComponent("mixed.csv")
        try Data("subject,y\nS00000,1\nS00001,high\n".utf8).write(to: mixed)
        let mixedRun = try m2ae(["label", store.path, mixed.path, "--by", "subject"])
        #expect(mixedRun.status == 1 && mixedRun.stderrLines == ["Error: \(mixed.path): line 3, label column 'y' mixes numbers ('1') and words ('high')"], "\(mixedRun)")
        #expect(try Data(contentsOf: store) == before)
        // Replaced, with the stage given as numeric instead of categorical.
        try Data(text.replacingOccurrences(of: ",III,", with: ",3,").replacingOccurrences(of: ",II,", with: ",2,")
            .replacingOccurrences(of: ",I,", with: ",1,").utf8).write(to: subjects)
        try m2aeSucceeds(["label", store.path, subjects.path, "--by", "subject", "--replace", "--kind", "stage=categorical"])
        let info2 = try m2aeSucceeds(["info", store.path, "--json"])
        let stage = try #require((info2.jsonObject?["labelTable"] as? [[String: Any]])?.first { $0["name"] as? String == "stage" })
        #expect(stage["kind"] as? String == "categorical"
                && (stage["classes"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["1", "2", "3"], "\(stage)")

        // Probes on the user's tasks only.
        let evaluation = try m2aeSucceeds(["evaluate", "--train", store.path, "--model", model.path, "--task", "smoker", "--task", "bmi",
                                           "--task", "stage", "--bootstrap", "20", "--no-random-baseline", "--json"])
        let rows = try #require(evaluation.jsonObject?["rows"] as? [[String: Any]], "\(evaluation)")
        #expect(Set(rows.compactMap { $0["label"] as? String }) == ["smoker", "bmi", "stage"] && rows.allSatisfy { $0["task"] == nil })
        #expect(Set(rows.compactMap { $0["representation"] as? String }) == ["ECG+PPG", "ECG", "PPG", "hand-crafted"])
        #expect(Set(rows.filter { $0["label"] as? String == "bmi" }.compactMap { $0["metric"] as? String }) == ["MAE", "Pearson r"])
        let probes = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model.path + ".probes.json"))) as? [String: Any]
        let labelHeads = try #require(probes?["labelHeads"] as? [String: [String: Any]])
        #expect(Set(labelHeads.keys) == ["smoker", "bmi", "stage"] && Set(labelHeads["smoker"]!.keys) == ["ecg+ppg", "ecg", "ppg"])
        let predict = try m2aeSucceeds(["predict", store.path, "--segment", "0", "--model", model.path, "--json"])
        let outputs = try #require(predict.jsonObject?["labelOutputs"] as? [[String: Any]], "\(predict)")
        #expect(outputs.compactMap { $0["label"] as? String } == ["bmi", "smoker", "stage"])
        #expect(outputs[0]["value"] is Double && (outputs[1]["probabilities"] as? [String: Double])?.keys.sorted() == ["no", "yes"])
        let predictText = try m2aeSucceeds(["predict", store.path, "--segment", "0", "--model", model.path])
        #expect(predictText.stdout.contains("smoker"), "\(predictText)")

        // A task that is not there, and one with one class among the training subjects.
        let unknown = try m2ae(["evaluate", "--train", store.path, "--model", model.path, "--task", "nope", "--no-random-baseline"])
        #expect(unknown.status == 1 && unknown.stderrLines.last?.contains("no task 'nope'") == true, "\(unknown)")
        let posture = try m2ae(["evaluate", "--train", store.path, "--model", model.path, "--task", "posture", "--no-random-baseline"])
        #expect(posture.status == 1 && posture.stderrLines.last?.contains("task 'posture' cannot be probed") == true, "\(posture)")
    }
}
