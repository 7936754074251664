import Analytics
import Foundation
import Store
import Testing
import TestSupport
import Workbench

/// `m2ae knn` / `m2ae predict` (their `--json` output, from the real binary) and the
/// workbench's `StoreServices` ask the query layer the same questions of the shared CLI
/// cohort and must get equal answers: the same neighbours with the same cosines, the same
/// class probabilities and values, the same familiarity, and the same same-subject default.
@Suite struct QueryAgreementTests {
    @Test func neighboursAreTheSame() throws {
        let c = try CLICohort.get()
        let services = try StoreServices(url: c.store, checkpoint: c.model)
        let defaultState = AppState(width: 80, height: 24, storeName: "cohort.h5", modelName: c.modelID)
        for mode in FingerprintMode.allCases {
            for segment in [0, 20] {
                for flag in [nil, "--include-same-subject", "--exclude-same-subject"] {
                    let r = try m2ae(["knn", c.store.path, "--segment", "\(segment)", "-k", "6", "--mode", mode.rawValue, "--json"] + (flag.map { [$0] } ?? []))
                    let json = try #require(r.jsonObject, "\(r)")
                    let excluded = try #require(json["excludeSameSubject"] as? Bool)
                    let hits = try #require(json["neighbours"] as? [[String: Any]])
                    let include = flag.map { $0 == "--include-same-subject" } ?? defaultState.includeSameSubject
                    #expect(excluded == !include, "the CLI and the workbench differ on the same-subject default")
                    let rows = try services.neighbours(segment, mode: mode, k: 6, sameSubject: include)
                    #expect(rows.count == 6 && hits.count == 6, "\(r)")
                    #expect(rows.map(\.index) == hits.map { $0["segment"] as? Int }, "\(mode) \(segment) \(flag ?? "")")
                    #expect(rows.map(\.subject) == hits.map { $0["subject"] as? String })
                    #expect(rows.map(\.similarity) == hits.map { ($0["score"] as? NSNumber).map { Float($0.doubleValue) } })
                }
            }
        }
    }

    @Test func predictionsAndFamiliarityAreTheSame() throws {
        let c = try CLICohort.get()
        let services = try StoreServices(url: c.store, checkpoint: c.model)
        for mode in FingerprintMode.allCases {
            for segment in [2, 17] {
                let r = try m2ae(["predict", c.store.path, "--segment", "\(segment)", "--model", c.model.path, "--mode", mode.rawValue, "--json"])
                let json = try #require(r.jsonObject, "\(r)")
                let outputs = try #require(json["outputs"] as? [[String: Any]])
                let rows = try services.predictions(segment, mode: mode)
                #expect(!rows.isEmpty)
                #expect(rows.map(\.task) == outputs.map { ($0["task"] as? String).flatMap(DownstreamTask.init(rawValue:))?.title })
                for (row, output) in zip(rows, outputs) {
                    if let value = row.value {
                        #expect((output["value"] as? NSNumber).map { Float($0.doubleValue) } == value, "\(row.task)")
                    } else {
                        let cli = (output["probabilities"] as? [String: NSNumber])?.mapValues { Float($0.doubleValue) }
                        #expect(cli == Dictionary(uniqueKeysWithValues: row.classes.map { ($0.name, $0.probability) }), "\(row.task)")
                    }
                }
                let mark = try services.familiarity(segment, mode: mode)
                switch (mark, json["familiarity"] as? [String: Any]) {
                case (.unknown, nil): break
                case (.familiar(let f), let cli?), (.unfamiliar(let f), let cli?):
                    #expect((cli["familiarity"] as? NSNumber).map { Float($0.doubleValue) } == f)
                    #expect(cli["reliable"] as? Bool == (mark == .familiar(f)))
                default: Issue.record("familiarity differs: workbench \(mark), CLI \(String(describing: json["familiarity"]))")
                }
            }
        }
    }

    /// `m2ae-bench neighbours` at its smallest: the table is printed, the pane's and the exact
    /// scan's answers are ranked, and the bench store is removed.
    @Test func benchNeighboursSmoke() throws {
        let folder = try TestSupport.temporaryFolder("m2ae-bench-neighbours")
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try CommandRunner.run(["neighbours", "--segments", "2000", "--selections", "3", "--exact-selections", "3", "--folder", folder.path], product: "m2ae-bench")
        #expect(r.status == 0 && r.stdout.contains("pane (exact)") && r.stdout.contains("ivf index"), "\(r)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
