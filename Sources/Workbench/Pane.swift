/// The workbench's panes, in Tab order.
public enum Pane: String, Sendable, CaseIterable, Hashable {
    case records = "Records", traces = "Traces", reconstruction = "Reconstruction"
    case neighbours = "Neighbours", projection = "Projection", predictions = "Predictions"

    /// True for the panes that share the lower-right slot of the dashboard.
    public var isDetail: Bool { ![.records, .traces].contains(self) }
}
