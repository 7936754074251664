/// One of the two modalities of a paired record.
public enum Modality: String, Sendable, CaseIterable, Codable {
    case ecg, ppg
}

extension Modality {
    /// Whether one modality of a segment is present: not flagged `.absent` and holding at
    /// least one finite sample.
    ///
    /// The one rule for every reader. A non-finite sample (NaN, +∞ or −∞) is a missing sample
    /// everywhere in the project: the quality check skips it and `Preprocessing.prepare`
    /// bridges it; so a modality whose samples are all non-finite is absent, whatever its flags.
    /// - Parameters:
    ///   - samples: the modality's samples in the segment.
    ///   - flags: its quality flags.
    /// - Complexity: O(n) at worst; stops at the first finite sample.
    public static func isPresent(_ samples: some Sequence<Float>, flags: QualityFlags) -> Bool {
        !flags.contains(.absent) && samples.contains { $0.isFinite }
    }
}
