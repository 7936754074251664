import ArgumentParser

extension M2AE {
    /// `m2ae evaluate`: The seven-task evaluation table with confidence intervals.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "The seven-task evaluation table with confidence intervals."
        )

        func run() throws {
            throw CLIError("'evaluate' is not built yet")
        }
    }
}
