import ArgumentParser

extension M2AE {
    /// `m2ae train`: Train or fine-tune M2AE on a store.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train or fine-tune M2AE on a store."
        )

        func run() throws {
            throw CLIError("'train' is not built yet")
        }
    }
}
