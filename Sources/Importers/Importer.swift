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
        /// The record's measured ECG → PPG delay, seconds (`Signals.DeviceDelay`); nil when
        /// the record lacks a modality or no clean segment showed enough beats.
        public var ppgDelay: Double?
        public var notes: [String]
        /// The manifest line the record is on (nil without a manifest).
        public var line: Int?
    }

    /// A label written by the import: its name, kind, scope and classes.
    public struct LabelSummary: Sendable, Codable, Equatable {
        public var name: String
        public var kind: String
        public var scope: String
        public var classes: [String]
    }

    /// The result of an import (the `--json` output of `m2ae import`).
    public struct Summary: Sendable, Codable, Equatable {
        public var store: String
        public var subjects: Int
        public var segments: Int
        public var records: [RecordSummary]
        /// The labels from the manifest's label columns (empty without a manifest).
        public var labels: [LabelSummary]
        /// The manifest, when the import had one.
        public var manifest: String?
    }

    /// One recording to import (one file, or several read as one with `--together`), with
    /// the subject, channel choice and CSV rate it gets.
    struct Source {
        var paths: [URL]
        var subject: String
        var picker: ChannelPicker
        var rate: Double?
        /// The manifest line it comes from.
        var line: Int?
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
        let groups = options.together && paths.count > 1 ? [paths] : paths.map { [$0] }
        let sources = groups.map { group in
            Source(paths: group, subject: group.count > 1 ? options.subject ?? RecordingReader.commonName(group)
                                                          : subjectID(for: group[0], subject: options.subject),
                   picker: options.picker, rate: options.csvRate)
        }
        return try run(sources, manifest: nil, out: out, options: options, progress: progress)
    }

    /// Imports the recordings of a cohort manifest into a new store at `out`: its subjects
    /// (several recordings of one subject are one subject), each row's channels and rate
    /// (else `options`' defaults), and its label columns as the store's label table.
    ///
    /// - Parameter progress: called after each record with (records done, its summary).
    /// - Throws: the first `ImportError`, naming the manifest and the line of the recording
    ///   when a recording fails (nothing is written then), or the store's error.
    public static func run(manifest: Manifest, out: URL, options: Options,
                           progress: (Int, RecordSummary) -> Void = { _, _ in }) throws -> Summary {
        let sources = manifest.entries.map { e in
            Source(paths: [e.path], subject: e.subject,
                   picker: ChannelPicker(ecg: e.ecg ?? options.picker.ecg, ppg: e.ppg ?? options.picker.ppg),
                   rate: e.rate ?? options.csvRate, line: e.line)
        }
        return try run(sources, manifest: manifest, out: out, options: options, progress: progress)
    }

    // MARK: - Internal API

    /// Reads, cuts and appends every source, then writes the manifest's labels and commits.
    static func run(_ sources: [Source], manifest: Manifest?, out: URL, options: Options,
                    progress: (Int, RecordSummary) -> Void) throws -> Summary {
        var ids: [String] = []
        var subjectIndex: [String: Int] = [:]
        for s in sources where subjectIndex[s.subject] == nil { subjectIndex[s.subject] = ids.count; ids.append(s.subject) }
        let writer = try StoreWriter(url: out, subjects: ids.map { Subject(id: $0) }, attributes: options.attributes)
        var records: [RecordSummary] = []
        for (i, source) in sources.enumerated() {
            let recording: Recording, cut: (segments: [Segment], channels: [Modality: [String]], notes: [String])
            let file = source.paths.map(\.path).joined(separator: " + ")
            do {
                recording = try RecordingReader.read(together: source.paths, rate: source.rate,
                                                     variables: [source.picker.ecg, source.picker.ppg].compactMap { $0 })
                cut = try Segmenter.segments(of: recording, file: file, picker: source.picker,
                                             subjectIndex: Int32(subjectIndex[source.subject]!))
            } catch let e as ImportError {
                guard let manifest, let line = source.line else { throw e }
                throw e.reported(at: manifest.url.path, "line \(line): \(e)")
            }
            try writer.append(cut.segments)
            var flags: [String: Int] = [:]
            for s in cut.segments {
                for m in Modality.allCases {
                    for name in s.meta.quality(m).names { flags["\(m.rawValue).\(name)", default: 0] += 1 }
                }
            }
            let summary = RecordSummary(path: file, record: recording.name, format: recording.format, subject: source.subject,
                                        segments: cut.segments.count, ecgChannels: cut.channels[.ecg] ?? [],
                                        ppgChannels: cut.channels[.ppg] ?? [], flags: flags,
                                        ppgDelay: cut.segments.first?.meta.ppgDelay, notes: recording.notes + cut.notes,
                                        line: source.line)
            records.append(summary)
            progress(i + 1, summary)
        }
        let labels = (manifest?.labels ?? []).map { column -> Label in
            var values: [Double?]
            if column.scope == .subject {
                values = [Double?](repeating: nil, count: ids.count)
                for (source, v) in zip(sources, column.values) { values[subjectIndex[source.subject]!] = v }
            } else {
                values = []
                for (record, v) in zip(records, column.values) { values += [Double?](repeating: v, count: record.segments) }
            }
            return Label(name: column.name, kind: column.kind, scope: column.scope, classes: column.classes, values: values)
        }
        try writer.writeLabels(labels)
        try writer.commit()
        return Summary(store: out.path, subjects: ids.count, segments: records.reduce(0) { $0 + $1.segments }, records: records,
                       labels: labels.map { LabelSummary(name: $0.name, kind: $0.kind.rawValue, scope: $0.scope.rawValue, classes: $0.classes) },
                       manifest: manifest?.url.path)
    }
}
