import ArgumentParser

extension M2AE {
    /// `m2ae knn`: Nearest fingerprint neighbours of a segment.
    struct Knn: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "knn",
            abstract: "Nearest fingerprint neighbours of a segment."
        )

        func run() throws {
            throw CLIError("'knn' is not built yet")
        }
    }
}
