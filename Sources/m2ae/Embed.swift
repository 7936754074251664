import ArgumentParser

extension M2AE {
    /// `m2ae embed`: Compute fingerprints (ECG+PPG, ECG, PPG) for every segment of a store.
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed",
            abstract: "Compute fingerprints (ECG+PPG, ECG, PPG) for every segment of a store."
        )

        func run() throws {
            throw CLIError("'embed' is not built yet")
        }
    }
}
