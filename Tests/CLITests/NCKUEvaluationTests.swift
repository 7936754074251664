import Foundation
import Testing
import TestSupport

/// The real labelled task of docs/evaluation.md end to end: the NCKU recordings imported
/// through manifests whose activity and level columns become labels, four subjects to train and
/// two held out (742, 809), embedded, and `m2ae evaluate --test` probing activity and level from
/// ECG+PPG, ECG and PPG fingerprints against the hand-crafted baseline.
///
/// The debug test binary embeds with a tiny random model (the shipped `small` one takes many
/// minutes unoptimised); the table in docs/evaluation.md is the same commands with the shipped
/// checkpoint and a release build.
@Suite("NCKU activity and level probes, end to end")
struct NCKUEvaluationTests {
    static let heldOut: Set<String> = ["742", "809"]

    /// Writes the train and test manifests of the NCKU folder into `folder`.
    static func manifests(_ ncku: URL, into folder: URL) throws -> (train: URL, test: URL) {
        let files = try FileManager.default.contentsOfDirectory(atPath: ncku.path).filter { $0.hasSuffix(".csv") }.sorted()
        var train = "path,subject,ecg,ppg,rate,activity,level\n", test = train
        for f in files {
            // <subject>_<activity>[_levelN]_<date>_<time>.csv; one file spells it "levle3".
            let parts = f.split(separator: "_").map(String.init)
            let level = parts[2].hasPrefix("lev") ? String(parts[2].last!) : ""
            let row = "\(ncku.path)/\(f),\(parts[0]),3,2,50,\(parts[1]),\(level)\n"
            if heldOut.contains(parts[0]) { test += row } else { train += row }
        }
        let a = folder.appendingPathComponent("ncku-train.csv"), b = folder.appendingPathComponent("ncku-test.csv")
        try Data(train.utf8).write(to: a); try Data(test.utf8).write(to: b)
        return (a, b)
    }

    @Test func activityAndLevelOnHeldOutSubjects() throws {
        guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
        let folder = try TestSupport.temporaryFolder("ncku-evaluation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (trainCSV, testCSV) = try Self.manifests(real.appendingPathComponent("csv/ncku"), into: folder)
        let train = folder.appendingPathComponent("train.h5"), test = folder.appendingPathComponent("test.h5")
        let model = folder.appendingPathComponent("tiny.safetensors")
        try m2aeSucceeds(["import", "--manifest", trainCSV.path, "--out", train.path])
        try m2aeSucceeds(["import", "--manifest", testCSV.path, "--out", test.path])
        try m2aeSucceeds(["embed", train.path, "--model", model.path, "--init", "random", "--config", "tiny", "--seed", "3"])
        try m2aeSucceeds(["embed", test.path, "--model", model.path])
        let r = try m2aeSucceeds(["evaluate", "--train", train.path, "--test", test.path, "--model", model.path,
                                  "--task", "activity", "--task", "level", "--bootstrap", "50", "--no-random-baseline", "--json"])
        let json = try #require(r.jsonObject, "\(r)")
        let split = try #require(json["split"] as? [String: Any])
        #expect(split["kind"] as? String == "stores" && split["trainSubjects"] as? Int == 4 && split["testSubjects"] as? Int == 2, "\(split)")
        #expect((split["trainSegments"] as? Int ?? 0) + (split["testSegments"] as? Int ?? 0) == 982, "\(split)")
        let rows = try #require(json["rows"] as? [[String: Any]])
        for label in ["activity", "level"] {
            for rep in ["ECG+PPG", "ECG", "PPG", "hand-crafted"] {
                let cells = rows.filter { $0["label"] as? String == label && $0["representation"] as? String == rep }
                #expect(cells.count == 2, "\(label) · \(rep): \(cells)")
            }
        }
        // The held-out people have every activity, so macro AUROC is defined; the baseline's
        // heart-rate and morphology features tell a bike ride from sitting still.
        let baseline = try #require(rows.first { $0["label"] as? String == "activity" && $0["representation"] as? String == "hand-crafted"
                                                  && $0["metric"] as? String == "macro AUROC" })
        let value = try #require((baseline["estimate"] as? [String: Any])?["value"] as? Double, "\(baseline)")
        #expect(value > 0.6, "\(baseline)")
    }
}
