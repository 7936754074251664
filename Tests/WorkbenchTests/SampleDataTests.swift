import Foundation
import Testing
import Store
import Model
import TestSupport
@testable import Workbench

/// What `make workbench` opens: `sample-data/cohort.h5` with the shipped checkpoint beside it.
/// The store must hold exactly that model's fingerprints and projections, and its probe heads
/// must travel with it, so every model pane is live on a fresh clone.
@Suite struct SampleDataTests {
    static let folder = TestSupport.projectRoot.appendingPathComponent("sample-data")
    static let store = folder.appendingPathComponent("cohort.h5")
    static let checkpoint = folder.appendingPathComponent("m2ae-small.safetensors")

    @Test func shippedModelIsLiveOnTheSampleStore() throws {
        guard FileManager.default.fileExists(atPath: Self.checkpoint.path) else {
            print("skipping: sample-data/m2ae-small.safetensors is absent"); return
        }
        let model = try M2AEModel(checkpoint: Self.checkpoint)
        #expect(model.config == .small)
        let records = try RecordStore(url: Self.store)
        #expect(records.modelIDs == [model.id], "the sample store holds the shipped model's fingerprints only")
        #expect(try records.fingerprintDim(model: model.id) == model.config.fingerprintDim)

        let services = try StoreServices(url: Self.store, checkpoint: Self.checkpoint)
        #expect(services.runsModel && services.notice == nil, "\(services.notice ?? "")")
        let n = records.segmentCount
        let risk = try #require(try services.risk(mode: .both))
        #expect(risk.count == n && risk.filter(\.isFinite).count > n * 9 / 10)
        for method in [ProjectionMethod.pca, .umap] {
            #expect(try services.projection(method, mode: .both)?.count == 2 * n, "\(method) map of ECG+PPG saved by m2ae project")
        }
        for mode in FingerprintMode.allCases {
            #expect(try services.predictions(0, mode: mode).count >= 5, "probe heads for \(mode)")
        }
        let mask = AppState.mask(ratio: 0.5, seed: 0)
        for mode in ReconstructionMode.allCases {
            let r = try #require(try services.reconstruct(0, mode: mode, mask: mask))
            #expect(r.reconstructed.count == 1250 && r.reconstructed.allSatisfy(\.isFinite) && r.pearson?.isFinite == true)
        }
    }
}
