import Foundation

/// Opens any supported recording by its file name: WFDB (`.hea`, or a signal file or a
/// record path with a `.hea` beside it), EDF/EDF+/BDF (`.edf`, `.bdf`, `.rec`) and CSV
/// (`.csv`, `.tsv`, `.txt`).
public enum RecordingReader {
    // MARK: - API

    /// Reads the recording at `url`.
    /// - Parameter rate: the CSV sampling rate when the file has no time column.
    /// - Throws: `ImportError` naming the file for an unknown format or any reader error.
    public static func read(_ url: URL, rate: Double? = nil) throws -> Recording {
        let ext = url.pathExtension.lowercased()
        switch ext {
        case "hea":
            return try WFDBReader.read(url)
        case "edf", "bdf", "rec":
            return try EDFReader.read(url)
        case "csv", "tsv", "txt":
            return try CSVReader.read(url, rate: rate)
        default:
            let header = (ext.isEmpty ? url : url.deletingPathExtension()).appendingPathExtension("hea")
            if FileManager.default.fileExists(atPath: header.path) { return try WFDBReader.read(header) }
            if !FileManager.default.fileExists(atPath: url.path) { throw ImportError(url, "no such file or WFDB record") }
            throw ImportError(url, "unknown format (expected a WFDB record, .edf/.bdf or .csv)")
        }
    }
}
