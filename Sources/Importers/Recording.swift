import Foundation

/// One channel of a recording as read from its file: physical values at the channel's own
/// rate, before any resampling (NaN where the file marks a sample invalid).
public struct Channel: Sendable, Equatable {
    /// The channel's name in the file (`II`, `PLETH`, a CSV column).
    public var name: String
    /// Physical units (`mV`, `NU`); empty when the file does not say.
    public var units: String
    /// Samples per second.
    public var rate: Double
    /// (n,) physical values.
    public var samples: [Double]

    public init(name: String, units: String, rate: Double, samples: [Double]) {
        self.name = name; self.units = units; self.rate = rate; self.samples = samples
    }

    /// Duration in seconds.
    public var duration: Double { Double(samples.count) / rate }
}

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

/// A recording read from disk by one of the readers (WFDB, EDF, CSV).
public struct Recording: Sendable, Equatable {
    /// The record's name (file stem or WFDB record name): the default subject id.
    public var name: String
    /// What it was read as (`WFDB 212`, `EDF+C`, `CSV`).
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
