import Foundation

extension RecordingReader {
    // MARK: - Several files as one recording

    /// Reads `urls` as one recording (`m2ae import --together`): the files hold different
    /// channels of the same session, like a MAT file per modality.
    ///
    /// Parts that start at the same time are joined into one part holding all their channels
    /// (each keeps its own rate; the segmenter resamples each picked channel on its own). A
    /// channel whose name an earlier file already used is renamed `file:name`. A single URL is
    /// read as `read(_:rate:variables:)` reads it.
    /// - Parameters:
    ///   - rate: as for `read(_:rate:variables:strict:)`.
    ///   - variables: MAT variable paths that must be channels; each may be in any of the files.
    /// - Throws: the first reader error (`ImportError` naming that file).
    public static func read(together urls: [URL], rate: Double? = nil, variables: [String] = []) throws -> Recording {
        guard urls.count > 1 else { return try read(urls[0], rate: rate, variables: variables) }
        let recordings = try urls.map { try read($0, rate: rate, variables: variables, strict: false) }
        var parts: [RecordingPart] = []
        var taken = Set<String>()
        for (recording, url) in zip(recordings, urls) {
            for var part in recording.parts {
                for c in part.channels.indices where !taken.insert(part.channels[c].name).inserted {
                    part.channels[c].name = url.deletingPathExtension().lastPathComponent + ":" + part.channels[c].name
                    taken.insert(part.channels[c].name)
                }
                if let i = parts.firstIndex(where: { $0.start == part.start }) {
                    parts[i].channels += part.channels
                    parts[i].label += "+" + part.label
                } else {
                    parts.append(part)
                }
            }
        }
        parts.sort { $0.start < $1.start }
        var formats: [String] = []
        for r in recordings where !formats.contains(r.format) { formats.append(r.format) }
        return Recording(name: commonName(urls), format: formats.joined(separator: "+"), parts: parts,
                         comments: recordings.flatMap(\.comments), notes: recordings.flatMap(\.notes))
    }

    /// The name of several files read as one recording: the longest common prefix of their
    /// stems without trailing `_`, `-`, `.` or spaces (`mollie_example_ECG.mat` and
    /// `mollie_example_PPG.mat` → `mollie_example`), else the first file's stem.
    public static func commonName(_ urls: [URL]) -> String {
        let stems = urls.map { $0.deletingPathExtension().lastPathComponent }
        guard var prefix = stems.first else { return "" }
        for s in stems.dropFirst() {
            while !s.hasPrefix(prefix) { prefix.removeLast() }
        }
        while let last = prefix.last, "_-. ".contains(last) { prefix.removeLast() }
        return prefix.isEmpty ? stems[0] : prefix
    }
}
