import Store

/// One synthetic subject: its index in the cohort, its stored identity and labels, and the
/// physiology its segments are rendered from.
public struct SynthSubject: Sendable, Hashable {
    /// Position in the cohort (the store's subject index).
    public var index: Int
    /// The stored subject: id `S00042` and its labels.
    public var subject: Subject
    public var physiology: Physiology
}
