import Foundation
import Signals
import Store

/// Imports recordings into a new store: every file is read, cut into segments and appended
/// through one `StoreWriter`, and the store appears only when all of them succeeded.
public enum Importer {
    /// What to import and how.
    public struct Options: Sendable {
        /// Channel choice (`--ecg`, `--ppg`).
        public var picker = ChannelPicker()
        /// The CSV rate when a file has no time column (`--rate`).
        public var csvRate: Double?
        /// One subject id for every record (`--subject`); nil: each record's name.
        public var subject: String?
        /// Root attributes written into the store (provenance).
        public var attributes: [String: String] = [:]
        /// All paths are one recording (`--together`): files that each hold some channels.
        public var together = false
        public init() {}
    }

    /// What one imported record gave.
    public struct RecordSummary: Sendable, Codable, Equatable {
        public var path: String
        public var record: String
        public var format: String
        public var subject: String
        public var segments: Int
        /// Channels used for each modality (empty when the modality is absent).
        public var ecgChannels: [String]
        public var ppgChannels: [String]
        /// Segments with each quality flag, per modality (`"ecg.clipped": 3`).
        public var flags: [String: Int]
        public var notes: [String]
    }

    /// The result of an import (the `--json` output of `m2ae import`).
    public struct Summary: Sendable, Codable, Equatable {
        public var store: String
        public var subjects: Int
        public var segments: Int
        public var records: [RecordSummary]
    }

    // MARK: - API

    /// The subject id of the recording at `path`: `subject` when given, else the record name
    /// (the file stem, which every reader uses as the recording's name).
    public static func subjectID(for path: URL, subject: String?) -> String {
        if let subject { return subject }
        let ext = path.pathExtension.lowercased()
        return ["hea", "dat", "mat", "edf", "bdf", "rec", "csv", "tsv", "txt"].contains(ext)
            ? path.deletingPathExtension().lastPathComponent : path.lastPathComponent
    }

    /// Imports `paths` into a new store at `out` (replacing it atomically when it exists).
    ///
    /// - Parameter progress: called after each record with (records done, its summary).
    /// - Throws: the first `ImportError` (nothing is written then), or the store's error.
    public static func run(paths: [URL], out: URL, options: Options,
                           progress: (Int, RecordSummary) -> Void = { _, _ in }) throws -> Summary {
        var ids: [String] = []
        let groups = options.together && paths.count > 1 ? [paths] : paths.map { [$0] }
        let subjectOf = groups.map { $0.count > 1 ? options.subject ?? RecordingReader.commonName($0)
                                                  : subjectID(for: $0[0], subject: options.subject) }
        for id in subjectOf where !ids.contains(id) { ids.append(id) }
        let writer = try StoreWriter(url: out, subjects: ids.map { Subject(id: $0) }, attributes: options.attributes)
        var records: [RecordSummary] = []
        for (i, group) in groups.enumerated() {
            let file = group.map(\.path).joined(separator: " + ")
            let recording = try RecordingReader.read(together: group, rate: options.csvRate,
                                                     variables: [options.picker.ecg, options.picker.ppg].compactMap { $0 })
            let subject = subjectOf[i]
            let cut = try Segmenter.segments(of: recording, file: file, picker: options.picker,
                                             subjectIndex: Int32(ids.firstIndex(of: subject)!))
            try writer.append(cut.segments)
            var flags: [String: Int] = [:]
            for s in cut.segments {
                for m in Modality.allCases {
                    for name in s.meta.quality(m).names { flags["\(m.rawValue).\(name)", default: 0] += 1 }
                }
            }
            let summary = RecordSummary(path: file, record: recording.name, format: recording.format, subject: subject,
                                        segments: cut.segments.count, ecgChannels: cut.channels[.ecg] ?? [],
                                        ppgChannels: cut.channels[.ppg] ?? [], flags: flags, notes: recording.notes + cut.notes)
            records.append(summary)
            progress(i + 1, summary)
        }
        try writer.commit()
        return Summary(store: out.path, subjects: ids.count, segments: records.reduce(0) { $0 + $1.segments }, records: records)
    }
}
