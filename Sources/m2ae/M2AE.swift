import ArgumentParser

/// The `m2ae` command: the workbench and its tools. With no subcommand it opens the
/// workbench on the sample store.
@main
struct M2AE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "m2ae",
        abstract: "M2AE Workbench: paired ECG/PPG records, biosignal fingerprints and the M2AE model.",
        version: "0.1.0",
        subcommands: [
            Tui.self, Info.self, Synth.self, Import.self, Read.self,
            Embed.self, Reconstruct.self, Train.self,
            Knn.self, Project.self, Predict.self, Evaluate.self,
            Bench.self,
        ],
        defaultSubcommand: Tui.self
    )
}
