import Signals

/// Picks the ECG lead and the PPG channel of a recording part by their usual names.
///
/// Names are compared upper-cased with spaces, dashes, underscores and dots removed. The
/// ECG order prefers lead II (the model's lead), then the other common single-lead names,
/// then any channel whose name contains `ECG` or `EKG`. PPG prefers `PLETH`, `PPG`, `BVP`.
/// A name given by the user (`--ecg`, `--ppg`) wins and must exist; a whole number that names
/// no channel is a 0-based column of the file (`--ecg 3 --ppg 2`).
public struct ChannelPicker: Sendable {
    /// ECG names in order of preference (normalised).
    public static let ecgNames = ["II", "MLII", "ECGII", "ECGLEADII", "LEADII", "ECG", "EKG", "ECG1", "ECGI",
                                  "I", "LEADI", "ECG2", "V", "V5", "MLV5", "V2", "V1", "III", "AVF", "AVR", "AVL"]
    /// PPG names in order of preference (normalised).
    public static let ppgNames = ["PLETH", "PPG", "PLETHYSMOGRAM", "BVP", "PULSE", "SPO2PLETH", "PLETHIR", "PPGIR", "PG"]

    /// The channel name forced for the ECG, if any.
    public var ecg: String?
    /// The channel name forced for the PPG, if any.
    public var ppg: String?

    public init(ecg: String? = nil, ppg: String? = nil) { self.ecg = ecg; self.ppg = ppg }

    // MARK: - API

    /// The index of the channel to use for `modality` among `channels`, or nil when there is none.
    /// A forced name that is a whole number and names no channel is a 0-based column of the
    /// file (`Channel.column`, else the channel's place).
    /// - Throws: `ImportError` (naming `file`) when a forced name or column is not among the channels.
    public func pick(_ modality: Modality, in channels: [Channel], file: String) throws -> Int? {
        try pick(modality, among: channels.map(\.name), columns: channels.enumerated().map { $1.column ?? $0 }, file: file)
    }

    /// The index of the channel to use for `modality` among `names`, or nil when there is none.
    /// - Parameter columns: each channel's 0-based column in its file, for a forced column
    ///   number (nil: the channels' places).
    /// - Throws: `ImportError` (naming `file`) when a forced name or column is not among the channels.
    public func pick(_ modality: Modality, among names: [String], columns: [Int]? = nil, file: String) throws -> Int? {
        let normal = names.map(Self.normalise)
        if let forced = modality == .ecg ? ecg : ppg {
            if let i = names.firstIndex(of: forced) ?? normal.firstIndex(of: Self.normalise(forced)) { return i }
            let columns = columns ?? Array(names.indices)
            if let k = Int(forced), k >= 0 {
                if let i = columns.firstIndex(of: k) { return i }
                let listed = zip(columns, names).map { "\($0) \($1)" }.joined(separator: ", ")
                throw ImportError(file, "no column \(k) for the \(modality.rawValue.uppercased()) (0-based columns: \(listed))")
            }
            throw ImportError(file, "no channel named '\(forced)' for the \(modality.rawValue.uppercased()) (channels: \(names.joined(separator: ", ")))")
        }
        let preferred = modality == .ecg ? Self.ecgNames : Self.ppgNames
        for p in preferred { if let i = normal.firstIndex(of: p) { return i } }
        let fragments = modality == .ecg ? ["ECG", "EKG"] : ["PLETH", "PPG", "BVP"]
        return normal.firstIndex { n in fragments.contains { n.contains($0) } }
    }

    /// Upper-cased, without spaces, dashes, underscores and dots.
    static func normalise(_ name: String) -> String {
        String(name.uppercased().filter { !" -_.".contains($0) })
    }
}
