import Foundation
import Store

/// A cohort manifest (`m2ae import --manifest cohort.csv`): one row per recording, with its
/// subject, optionally its channels and rate, and any number of label columns.
///
/// The header names the columns (any order, case-insensitive): `path` and `subject` are
/// required; `ecg`, `ppg` (a channel name or 0-based column) and `rate` (Hz) override the
/// command line's defaults for that row when not empty; every other column is a label. The
/// separator is the one of tab, `;`, `,` the header holds most of (a tie goes to the tab, then
/// `;`); a field may be
/// double-quoted (`""` inside is a quote). Blank lines are skipped. Relative paths are relative
/// to the manifest's folder.
///
/// Everything is checked before any recording is read: a missing file, an empty subject, a
/// bad rate or an unusable label column is a one-line error naming the manifest and its line.
public struct Manifest: Sendable {
    /// One recording of the manifest.
    public struct Entry: Sendable, Equatable {
        /// The manifest line (1-based) the row is on.
        public var line: Int
        /// The recording, resolved against the manifest's folder.
        public var path: URL
        public var subject: String
        /// The ECG and PPG channel for this recording (nil: the default).
        public var ecg: String?
        public var ppg: String?
        /// The rate for a CSV file without a time column (nil: the default).
        public var rate: Double?
    }

    /// One label column: its kind and classes, and whether one value per subject holds it.
    public struct LabelColumn: Sendable, Equatable {
        public var name: String
        public var kind: Label.Kind
        /// `.subject` when every subject's rows agree, else `.record`.
        public var scope: Label.Scope
        public var classes: [String]
        /// One value per entry (number or class code; nil when missing).
        public var values: [Double?]
    }

    /// The columns a manifest knows; every other column is a label.
    public static let knownColumns = ["path", "subject", "ecg", "ppg", "rate"]

    /// The manifest file.
    public var url: URL
    /// The recordings, in manifest order.
    public var entries: [Entry]
    /// The label columns, in manifest order.
    public var labels: [LabelColumn]

    // MARK: - API

    /// Reads and checks the manifest at `url`; `kinds` gives label columns' kinds instead of
    /// inferring them (`m2ae import --kind NAME=KIND`; `Label.infer(_:as:)`), and every name in
    /// it must be a label column.
    /// - Throws: `ImportError` naming the manifest (and its line) for a missing or empty file,
    ///   a header without `path` or `subject`, a ragged row, an empty path or subject, a
    ///   recording that does not exist or is listed twice, a rate that is not a number within
    ///   `Segmenter.acceptedRates`, or a label column that mixes numbers and words.
    public static func read(_ url: URL, kinds: [String: Label.Kind] = [:]) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ImportError.unreadable(url, missing: "no such manifest", unreadable: "cannot read the manifest")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .enumerated().map { (number: $0 + 1, text: $1) }
            .filter { !$0.text.allSatisfy { $0 == " " || $0 == "\t" } }
        guard let header = lines.first else { throw ImportError(url, "empty manifest") }
        // (count in the header, preference on a tie) per candidate
        let candidates: [(separator: Character, count: Int, rank: Int)] = [("\t", 2), (";", 1), (",", 0)].map { c, rank in
            (c, header.text.filter { $0 == c }.count, rank)
        }
        let separator = candidates.max { ($0.count, $0.rank) < ($1.count, $1.rank) }!.separator
        let names = try fields(header.text, separator, url: url, line: header.number)
        var index: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            guard !name.isEmpty else { throw ImportError(url, "line \(header.number): column \(i + 1) has no name") }
            let key = knownColumns.contains(name.lowercased()) ? name.lowercased() : name
            guard index[key] == nil else { throw ImportError(url, "line \(header.number): column '\(name)' appears twice") }
            index[key] = i
        }
        for required in ["path", "subject"] where index[required] == nil {
            throw ImportError(url, "no '\(required)' column (the header must name at least path and subject; it has \(names.joined(separator: ", ")))")
        }
        let labelIndices = names.indices.filter { !knownColumns.contains(names[$0].lowercased()) }
        for name in kinds.keys.sorted() where !labelIndices.contains(where: { names[$0] == name }) {
            throw ImportError(url, "--kind names '\(name)', which is not a label column (label columns: \(labelIndices.map { names[$0] }.joined(separator: ", ")))")
        }
        for i in labelIndices {
            if let problem = Label.problem(withName: names[i]) { throw ImportError(url, "line \(header.number): \(problem)") }
        }

        let folder = url.deletingLastPathComponent()
        var entries: [Entry] = []
        var cells: [[String]] = []
        var seen: [String: Int] = [:]
        for row in lines.dropFirst() {
            let f = try fields(row.text, separator, url: url, line: row.number)
            guard f.count == names.count else {
                throw ImportError(url, "line \(row.number) has \(f.count) fields, the header has \(names.count)")
            }
            func cell(_ column: String) -> String? { index[column].map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 } }
            guard let pathText = cell("path") else { throw ImportError(url, "line \(row.number): empty path") }
            let path = pathText.hasPrefix("/") ? URL(fileURLWithPath: pathText) : folder.appendingPathComponent(pathText)
            let resolved = path.standardizedFileURL
            guard exists(resolved) else { throw ImportError(url, "line \(row.number): \(resolved.path): no such file") }
            if let first = seen[resolved.path] {
                throw ImportError(url, "line \(row.number): \(resolved.path) is listed twice (also on line \(first))")
            }
            seen[resolved.path] = row.number
            guard let subject = cell("subject") else { throw ImportError(url, "line \(row.number): empty subject") }
            var rate: Double?
            if let r = cell("rate") {
                guard let v = Double(r), v.isFinite else { throw ImportError(url, "line \(row.number): rate '\(r.prefix(20))' is not a number") }
                guard Segmenter.acceptedRates.contains(v) else {
                    throw ImportError(url, "line \(row.number): rate \(r) Hz is outside \(CSVReader.format(Segmenter.acceptedRates.lowerBound))–\(CSVReader.format(Segmenter.acceptedRates.upperBound)) Hz")
                }
                rate = v
            }
            entries.append(Entry(line: row.number, path: resolved, subject: subject, ecg: cell("ecg"), ppg: cell("ppg"), rate: rate))
            cells.append(labelIndices.map { f[$0] })
        }
        guard !entries.isEmpty else { throw ImportError(url, "no recordings listed (only a header)") }

        let labels = try labelIndices.enumerated().map { k, column -> LabelColumn in
            let texts = cells.map { $0[k] }
            let inferred: (kind: Label.Kind, classes: [String], values: [Double?])
            do { inferred = try Label.infer(texts, as: kinds[names[column]]) } catch let e as Label.InferenceError {
                let place = e.row.map { "line \(entries[$0].line), " } ?? ""
                throw ImportError(url, "\(place)label column '\(names[column])' \(e.problem)")
            }
            var bySubject: [String: Double?] = [:]
            var agree = true
            for (entry, value) in zip(entries, inferred.values) {
                if let known = bySubject[entry.subject] { agree = agree && known == value } else { bySubject[entry.subject] = value }
            }
            return LabelColumn(name: names[column], kind: inferred.kind, scope: agree ? .subject : .record,
                               classes: inferred.classes, values: inferred.values)
        }
        return Manifest(url: url, entries: entries, labels: labels)
    }

    // MARK: - Internal API

    /// The fields of one line, unquoted and trimmed.
    static func fields(_ line: Substring, _ separator: Character, url: URL, line number: Int) throws -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex, line[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == separator {
                out.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
                field = ""; wasQuoted = false
            } else if c == "\"" && field.allSatisfy({ $0 == " " }) {
                field = ""; quoted = true; wasQuoted = true
            } else {
                field.append(c)
            }
            i = line.index(after: i)
        }
        guard !quoted else { throw ImportError(url, "line \(number): a quoted field is not closed") }
        out.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
        return out
    }

    /// Whether `path` names a file, or a WFDB record whose header is beside it.
    static func exists(_ path: URL) -> Bool {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) { return !isFolder.boolValue }
        let base = path.pathExtension.isEmpty ? path : path.deletingPathExtension()
        return FileManager.default.fileExists(atPath: base.appendingPathExtension("hea").path)
    }
}
