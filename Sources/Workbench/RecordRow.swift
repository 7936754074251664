import Store

/// One segment as listed in the Records pane: where it comes from, its subject's labels and
/// its quality flags. About 150 bytes, so 100,000 rows stay well under 20 MB.
public struct RecordRow: Sendable, Hashable {
    /// The segment's index in the store.
    public var index: Int
    /// Index into the store's subject table and the subject's id.
    public var subjectIndex: Int
    public var subject: String
    /// Source record name and start within it (s).
    public var record: String
    public var start: Double
    public var labels: SubjectLabels
    public var ecgQuality: QualityFlags
    public var ppgQuality: QualityFlags

    public init(index: Int, subjectIndex: Int, subject: String, record: String, start: Double,
                labels: SubjectLabels, ecgQuality: QualityFlags = [], ppgQuality: QualityFlags = []) {
        self.index = index; self.subjectIndex = subjectIndex; self.subject = subject; self.record = record
        self.start = start; self.labels = labels; self.ecgQuality = ecgQuality; self.ppgQuality = ppgQuality
    }

    /// True when both modalities are present and clean.
    public var isClean: Bool { ecgQuality.isEmpty && ppgQuality.isEmpty }

    /// Quality as shown in the table: "ok", or the flag names prefixed by E:/P:.
    public var qualityText: String {
        if isClean { return "ok" }
        var parts: [String] = []
        if !ecgQuality.isEmpty { parts.append("E:" + ecgQuality.names.joined(separator: ",")) }
        if !ppgQuality.isEmpty { parts.append("P:" + ppgQuality.names.joined(separator: ",")) }
        return parts.joined(separator: " ")
    }
}
