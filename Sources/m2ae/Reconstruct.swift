import ArgumentParser

extension M2AE {
    /// `m2ae reconstruct`: Reconstruct one modality from the other, or masked patches, and score it.
    struct Reconstruct: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reconstruct",
            abstract: "Reconstruct one modality from the other, or masked patches, and score it."
        )

        func run() throws {
            throw CLIError("'reconstruct' is not built yet")
        }
    }
}
