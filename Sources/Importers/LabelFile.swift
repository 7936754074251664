import Foundation
import Store

/// A labels file for `m2ae label`: a CSV (or `;`- or tab-separated) table whose first column
/// holds subject ids or record names and whose every other column is one label.
///
/// ```
/// subject,smoker,bmi
/// S001,yes,24.1
/// S002,no,
/// ```
public struct LabelFile: Sendable {
    /// One data row: its line in the file and its id.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var id: String
    }

    /// The largest labels file read (a table of one row per record or subject is far smaller).
    public static let maxBytes = 256 << 20

    public var url: URL
    /// The first column's name (`subject`, `record`, `id`, …).
    public var idColumn: String
    public var rows: [Row]
    /// Label columns in file order: the name and one text cell per row.
    public var columns: [(name: String, cells: [String])]

    // MARK: - Reading

    /// Reads and checks the file's shape.
    /// - Throws: `ImportError` naming the file (and line) for a missing, empty or oversized
    ///   file, a header without a label column, an unnamed or repeated column, a bad label name,
    ///   a ragged row, an empty id or an id listed twice.
    public static func read(_ url: URL) throws -> LabelFile {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let size = attributes?[.size] as? Int else { throw ImportError.missing(path: url.path, problem: "no such labels file") }
        guard size <= maxBytes else { throw ImportError(url, "is \(size >> 20) MB; a labels file is at most \(maxBytes >> 20) MB") }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ImportError(url, "cannot read the labels file") }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .enumerated().map { (number: $0 + 1, text: $1) }
            .filter { !$0.text.allSatisfy { $0 == " " || $0 == "\t" } }
        guard let header = lines.first else { throw ImportError(url, "empty labels file") }
        let separator: Character = [("\t", 2), (";", 1), (",", 0)]
            .map { (c: Character, rank: Int) in (c, header.text.filter { $0 == c }.count, rank) }
            .max { ($0.1, $0.2) < ($1.1, $1.2) }!.0
        let names = try Manifest.fields(header.text, separator, url: url, line: header.number)
        guard names.count >= 2 else {
            throw ImportError(url, "line \(header.number): the header names no label column (the first column holds the ids, every other one is a label)")
        }
        var seenNames: Set<String> = []
        for (i, name) in names.enumerated() {
            guard !name.isEmpty else { throw ImportError(url, "line \(header.number): column \(i + 1) has no name") }
            guard seenNames.insert(name).inserted else { throw ImportError(url, "line \(header.number): column '\(name)' appears twice") }
            if i > 0, let problem = Label.problem(withName: name) { throw ImportError(url, "line \(header.number): \(problem)") }
        }
        var rows: [Row] = [], cells: [[String]] = Array(repeating: [], count: names.count - 1)
        var seen: [String: Int] = [:]
        for line in lines.dropFirst() {
            let f = try Manifest.fields(line.text, separator, url: url, line: line.number)
            guard f.count == names.count else { throw ImportError(url, "line \(line.number) has \(f.count) fields, the header has \(names.count)") }
            guard !f[0].isEmpty else { throw ImportError(url, "line \(line.number): empty \(names[0])") }
            if let first = seen[f[0]] { throw ImportError(url, "line \(line.number): '\(f[0].prefix(40))' is listed twice (also on line \(first))") }
            seen[f[0]] = line.number
            rows.append(Row(line: line.number, id: f[0]))
            for c in 1..<names.count { cells[c - 1].append(f[c]) }
        }
        guard !rows.isEmpty else { throw ImportError(url, "no rows (only a header)") }
        return LabelFile(url: url, idColumn: names[0], rows: rows,
                         columns: zip(names.dropFirst(), cells).map { (name: $0, cells: $1) })
    }

    // MARK: - Labels for a store

    /// The file's labels for a store whose rows of `scope` carry `keys`: subject ids (one per
    /// subject) for `.subject`, record names (one per segment) for `.record`. Every row of the
    /// file must match; subjects or records it does not list get a missing value.
    ///
    /// - Parameters:
    ///   - kinds: label name → kind, overriding inference (`--kind NAME=KIND`); every name must
    ///     be a column of the file.
    ///   - storeName: the store's path, for errors.
    /// - Throws: `ImportError` naming the file for ids that match nothing (how many matched,
    ///   the first that did not and its line), an unknown `kinds` name, or a column whose values
    ///   do not make a label (mixed numbers and words, more than `Label.maxClasses` classes, …).
    /// - Complexity: O(keys + rows × columns).
    public func labels(scope: Label.Scope, keys: [String], kinds: [String: Label.Kind] = [:], storeName: String) throws -> [Label] {
        let what = scope == .subject ? "subject" : "record"
        for name in kinds.keys.sorted() where !columns.contains(where: { $0.name == name }) {
            throw ImportError(url, "--kind names '\(name)', which is not a column (columns: \(columns.map(\.name).joined(separator: ", ")))")
        }
        var positions: [String: [Int]] = [:]
        for (i, key) in keys.enumerated() { positions[key, default: []].append(i) }
        let unmatched = rows.filter { positions[$0.id] == nil }
        if let first = unmatched.first {
            let examples = Array(Set(keys)).sorted().prefix(3).map { "'\($0)'" }.joined(separator: ", ")
            throw ImportError(url, "\(unmatched.count) of \(rows.count) ids match no \(what) of \(storeName) (\(rows.count - unmatched.count) matched); "
                              + "the first is '\(first.id.prefix(40))' on line \(first.line)"
                              + (examples.isEmpty ? "" : " (the store's \(what)s look like \(examples))"))
        }
        return try columns.map { column in
            let inferred: (kind: Label.Kind, classes: [String], values: [Double?])
            do { inferred = try Label.infer(column.cells, as: kinds[column.name]) } catch let e as Label.InferenceError {
                let place = e.row.map { "line \(rows[$0].line), " } ?? ""
                throw ImportError(url, "\(place)label column '\(column.name)' \(e.problem)")
            }
            var values = [Double?](repeating: nil, count: keys.count)
            for (row, value) in zip(rows, inferred.values) {
                for i in positions[row.id]! { values[i] = value }
            }
            return Label(name: column.name, kind: inferred.kind, scope: scope, classes: inferred.classes, values: values)
        }
    }
}
