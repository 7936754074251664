/// The `Model` module. See docs/architecture.md for where it sits in the module tree.
public enum ModelModule {
    /// The module's name, for diagnostics.
    public static let name = "Model"
}
