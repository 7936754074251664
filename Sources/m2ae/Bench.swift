import ArgumentParser

extension M2AE {
    /// `m2ae bench`: benchmarks that print a table (medians of repeated runs).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Benchmarks: each prints a table of medians against its peer.",
            subcommands: [SynthBench.self]
        )
    }
}
