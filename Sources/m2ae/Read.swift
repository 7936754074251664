import ArgumentParser

extension M2AE {
    /// `m2ae read`: Print the physical values of every channel of a recording, as read.
    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Print the physical values of every channel of a recording, as read."
        )

        func run() throws {
            throw CLIError("'read' is not built yet")
        }
    }
}
