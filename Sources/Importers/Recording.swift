/// A recording read from disk by one of the readers (WFDB, EDF, CSV, MAT).
public struct Recording: Sendable, Equatable {
    /// The record's name (file stem or WFDB record name): the default subject id.
    public var name: String
    /// What it was read as (`WFDB 212`, `EDF+C`, `CSV`, `MAT v5`).
    public var format: String
    /// The parts, in time order.
    public var parts: [RecordingPart]
    /// Header comments (WFDB `#` lines, EDF patient and recording fields).
    public var comments: [String]
    /// Notes about what could not be read (missing segment files, for instance).
    public var notes: [String]

    public init(name: String, format: String, parts: [RecordingPart], comments: [String] = [], notes: [String] = []) {
        self.name = name; self.format = format; self.parts = parts; self.comments = comments; self.notes = notes
    }
}
