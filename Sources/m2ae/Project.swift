import ArgumentParser

extension M2AE {
    /// `m2ae project`: Compute PCA and UMAP projections of a store's fingerprints.
    struct Project: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "project",
            abstract: "Compute PCA and UMAP projections of a store's fingerprints."
        )

        func run() throws {
            throw CLIError("'project' is not built yet")
        }
    }
}
