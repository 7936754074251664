/// The `Importers` module. See docs/architecture.md for where it sits in the module tree.
public enum ImportersModule {
    /// The module's name, for diagnostics.
    public static let name = "Importers"
}
