import ArgumentParser

extension M2AE {
    /// `m2ae import`: Import WFDB, EDF or CSV recordings into a new store.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import WFDB, EDF or CSV recordings into a new store."
        )

        func run() throws {
            throw CLIError("'import' is not built yet")
        }
    }
}
