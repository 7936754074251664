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
    /// The channel's 0-based column in its file when that differs from its place among the
    /// part's channels (a CSV file's time column is not a channel); nil: its place there.
    public var column: Int?

    public init(name: String, units: String, rate: Double, samples: [Double], column: Int? = nil) {
        self.name = name; self.units = units; self.rate = rate; self.samples = samples; self.column = column
    }

    /// Duration in seconds.
    public var duration: Double { Double(samples.count) / rate }
}
