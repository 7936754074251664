import Analytics
import ArgumentParser
import Foundation
import Store

extension M2AE {
    /// `m2ae predict`: Every downstream task's prediction for one segment.
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "predict",
            abstract: "Every downstream task's prediction for one segment.",
            discussion: """
            Applies the probe heads that `m2ae evaluate` saved beside the checkpoint \
            (<CKPT>.probes.json) to the segment's fingerprint of the chosen mode.
            """
        )

        @Argument(help: "The store (.h5).")
        var store: String
        @Option(help: "The segment's index.")
        var segment: Int
        @Option(name: .customLong("model"), help: "The checkpoint whose <CKPT>.probes.json holds the heads.")
        var checkpoint: String
        @Option(help: "Fingerprint mode: ecg+ppg, ecg or ppg.")
        var mode: FingerprintMode = .both
        @Flag(help: "Print JSON (schema in docs/analytics.md).")
        var json = false

        func run() throws {
            do {
                let probes = try ProbeFile.load(ProbeFile.location(checkpoint: URL(fileURLWithPath: checkpoint)))
                let p = try Prediction.predict(store: try RecordStore(url: URL(fileURLWithPath: store)), probes: probes,
                                               segment: segment, mode: mode)
                if json { try printJSON(p) } else { print(p.table()) }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }
    }
}
