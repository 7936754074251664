import Analytics
import ArgumentParser
import Foundation
import Query
import Store

extension M2AE {
    /// `m2ae project`: Compute PCA and UMAP projections of a store's fingerprints.
    struct Project: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "project",
            abstract: "Compute PCA and UMAP projections of a store's fingerprints.",
            discussion: """
            Saves /models/<id>/projections/{pca,umap} [N, 2] for the workbench (segments UMAP \
            did not embed, and segments without the mode's fingerprint, are NaN) and reports \
            trustworthiness@10 of both on a common sample.
            """
        )

        @Argument(help: "The store (.h5).")
        var store: String
        @Option(help: "Fingerprint mode: ecg+ppg, ecg or ppg.")
        var mode: FingerprintMode = .both
        @Option(name: .customLong("model-id"), help: "Model id (default: the store's only model).")
        var modelID: String?
        @Option(help: "Most segments UMAP embeds (evenly strided beyond).")
        var umapLimit: Int = 20_000
        @Option(help: "UMAP seed.")
        var seed: UInt64 = 42
        @Flag(help: "Print JSON (schema in docs/analytics.md).")
        var json = false

        func validate() throws {
            guard umapLimit >= 32 else { throw ValidationError("--umap-limit must be at least 32") }
        }

        func run() throws {
            do {
                let report = try ProjectionReport.compute(store: try RecordStore(url: URL(fileURLWithPath: store)), model: modelID,
                                                          mode: mode, umapLimit: umapLimit, seed: seed)
                if json { try printJSON(report) } else { print(report.table()) }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }
    }
}
