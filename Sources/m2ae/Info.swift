import ArgumentParser
import Foundation
import Store

extension M2AE {
    /// `m2ae info`: Summarise a store: counts, labels, quality, models.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Summarise a store: counts, labels, quality, models.",
            discussion: "Reads only the metadata columns (never the signals). --json prints the schema in docs/json.md."
        )

        @Argument(help: "The store (.h5) to summarise.")
        var store: String

        @Flag(help: "Print JSON (schema in docs/json.md) instead of the table.")
        var json = false

        func run() throws {
            let summary: StoreSummary
            do {
                summary = try StoreSummary(RecordStore(url: URL(fileURLWithPath: store)))
            } catch let e as StoreError {
                throw CLIError(e.description)
            }
            if json {
                try printJSON(summary)
            } else {
                print(summary.table())
            }
        }
    }
}
