/// Signal-quality findings for one modality of one segment, as set by the quality check.
///
/// A segment with any flag set is kept and shown, never silently fed to the model: the
/// workbench and the trainer decide what to do with it. Stored in HDF5 as one `uint8`.
public struct QualityFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The modality is not present in this segment at all (single-modality record).
    public static let absent = QualityFlags(rawValue: 1 << 0)
    /// Too little variation: a flat line, a disconnected lead, or a waveform stored with so
    /// coarse a gain that only a few distinct values remain.
    public static let flat = QualityFlags(rawValue: 1 << 1)
    /// A sizeable share of samples sit at the signal's extreme values (saturated ADC).
    public static let clipped = QualityFlags(rawValue: 1 << 2)
    /// Jumps of almost the full ADC range between neighbouring samples (integer wrap-around).
    public static let wrapped = QualityFlags(rawValue: 1 << 3)
    /// A run of missing (NaN) samples longer than the check tolerates.
    public static let nanRun = QualityFlags(rawValue: 1 << 4)
    /// The signal is present but its beats cannot be found reliably (noise, motion artefact).
    public static let noisy = QualityFlags(rawValue: 1 << 5)

    /// Every flag with its short name, in bit order (used by `info`, the TUI and JSON output).
    public static let named: [(QualityFlags, String)] = [
        (.absent, "absent"), (.flat, "flat"), (.clipped, "clipped"),
        (.wrapped, "wrapped"), (.nanRun, "nan-run"), (.noisy, "noisy"),
    ]

    /// The short names of the flags set, in bit order.
    public var names: [String] { Self.named.filter { contains($0.0) }.map(\.1) }

    /// True when the modality is present and nothing is wrong with it.
    public var isClean: Bool { isEmpty }
}
