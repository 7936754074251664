import ArgumentParser

extension M2AE {
    /// `m2ae bench`: benchmarks that print a table (medians of repeated runs).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Benchmarks: each prints a table of medians against its peer.",
            subcommands: [Store.self, Signals.self, SynthBench.self, Import.self, Layers.self, Engine.self, Knn.self, Umap.self, Tui.self, Train.self]
        )
    }
}
