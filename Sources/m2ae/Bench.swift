import ArgumentParser

extension M2AE {
    /// `m2ae bench`, kept only to point at the benchmarks' own executable.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench", abstract: "Moved: the benchmarks are the m2ae-bench executable.", shouldDisplay: false)

        @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

        func run() throws {
            let rest = arguments.isEmpty ? "<name>" : arguments.joined(separator: " ")
            throw CLIError("the benchmarks moved to their own executable: run `m2ae-bench \(rest)` (from the project root: swift run -c release m2ae-bench \(rest))")
        }
    }
}
