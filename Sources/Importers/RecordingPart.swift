/// A stretch of a recording without gaps: channels that start at the same instant.
///
/// A single-segment WFDB record, a CSV file and a continuous EDF file have one part; a
/// multi-segment WFDB record has one part per run of present segments with the same
/// channels (gaps and missing segment files split it).
public struct RecordingPart: Sendable, Equatable {
    /// Where the part starts, in seconds from the start of the recording.
    public var start: Double
    /// The source of the part (a segment record's name, or the file name).
    public var label: String
    /// The channels, in file order.
    public var channels: [Channel]

    public init(start: Double, label: String, channels: [Channel]) {
        self.start = start; self.label = label; self.channels = channels
    }
}
