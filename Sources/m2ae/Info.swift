import ArgumentParser
import Foundation
import Store

extension M2AE {
    /// `m2ae info`: Summarise a store: counts, labels, quality, heart and pulse rate, models.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Summarise a store: counts, labels, quality, heart and pulse rate, models.",
            discussion: "Reads the metadata columns, then the signals of the clean segments in slices (for heart rate from the ECG and pulse rate from the PPG). --json prints the schema in docs/json.md."
        )

        @Argument(help: "The store (.h5) to summarise.")
        var store: String

        @Flag(help: "Print JSON (schema in docs/json.md) instead of the table.")
        var json = false

        func run() throws {
            let summary = try StoreSummary(RecordStore(url: URL(fileURLWithPath: store)))
            if json {
                try printJSON(summary)
            } else {
                print(summary.table())
            }
        }
    }
}
