import Foundation

/// Opens any supported recording by its file name: WFDB (`.hea`, or a signal file or a
/// record path with a `.hea` beside it), EDF/EDF+/BDF (`.edf`, `.bdf`, `.rec`), CSV
/// (`.csv`, `.tsv`, `.txt`) and MATLAB (`.mat` without a `.hea` beside it).
public enum RecordingReader {
    // MARK: - API

    /// Reads the recording at `url`.
    /// - Parameters:
    ///   - rate: the CSV sampling rate when the file has no time column, and the MAT rate of
    ///     signals without a rate field.
    ///   - variables: MAT variable paths that must be channels (the `--ecg`/`--ppg` names).
    ///   - strict: false when the file is one of several read as one recording: a MAT variable
    ///     of `variables` may then be in another file.
    /// - Throws: `ImportError` naming the file for an unknown format or any reader error.
    public static func read(_ url: URL, rate: Double? = nil, variables: [String] = [], strict: Bool = true) throws -> Recording {
        let ext = url.pathExtension.lowercased()
        switch ext {
        case "mat" where !FileManager.default.fileExists(atPath: url.deletingPathExtension().appendingPathExtension("hea").path):
            return try MATReader.read(url, rate: rate, select: variables, strict: strict)
        case "hea":
            return try WFDBReader.read(url)
        case "edf", "bdf", "rec":
            return try EDFReader.read(url)
        case "csv", "tsv", "txt":
            return try CSVReader.read(url, rate: rate)
        default:
            let header = (ext.isEmpty ? url : url.deletingPathExtension()).appendingPathExtension("hea")
            if FileManager.default.fileExists(atPath: header.path) { return try WFDBReader.read(header) }
            if !FileManager.default.fileExists(atPath: url.path) { throw ImportError.missing(path: url.path, problem: "no such file or WFDB record") }
            throw ImportError(url, "unknown format (expected a WFDB record, .edf/.bdf, .csv or .mat)")
        }
    }
}
