import ArgumentParser

extension M2AE {
    /// `m2ae predict`: Every downstream task's prediction for one segment.
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "predict",
            abstract: "Every downstream task's prediction for one segment."
        )

        func run() throws {
            throw CLIError("'predict' is not built yet")
        }
    }
}
