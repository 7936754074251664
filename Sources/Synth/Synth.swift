/// The `Synth` module. See docs/architecture.md for where it sits in the module tree.
public enum SynthModule {
    /// The module's name, for diagnostics.
    public static let name = "Synth"
}
