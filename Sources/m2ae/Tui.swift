import ArgumentParser

extension M2AE {
    /// `m2ae tui`: Open the workbench (TUI) on a store.
    struct Tui: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tui",
            abstract: "Open the workbench (TUI) on a store."
        )

        func run() throws {
            throw CLIError("'tui' is not built yet")
        }
    }
}
