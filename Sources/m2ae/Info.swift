import ArgumentParser

extension M2AE {
    /// `m2ae info`: Summarise a store: counts, labels, quality, models.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Summarise a store: counts, labels, quality, models."
        )

        func run() throws {
            throw CLIError("'info' is not built yet")
        }
    }
}
