import ArgumentParser

extension M2AE {
    /// `m2ae synth`: Generate a synthetic labelled ECG+PPG cohort into a new store.
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Generate a synthetic labelled ECG+PPG cohort into a new store."
        )

        func run() throws {
            throw CLIError("'synth' is not built yet")
        }
    }
}
