import CHDF5
import Foundation

/// Reads and writes the general label table: one dataset per label under `/labels`, [S] for
/// subject-scope and [N] for record-scope labels, with attributes `kind`, `scope` and (binary,
/// categorical) `classes`, a JSON array of class names in code order. Numeric labels are
/// float64 with NaN for a missing value; binary and categorical ones int32 codes, -1 missing.
/// A store without `/labels` (every store before the table existed) has no labels.
enum LabelTable {
    // MARK: - Reading

    /// Every label, in name order, checked against the subject and segment counts.
    static func read(_ file: H5File, subjects: Int, segments: Int) throws -> [Label] {
        guard file.kind(StoreLayout.labels) != nil else { return [] }
        return try file.children(StoreLayout.labels).map { name in
            let path = StoreLayout.label(name)
            guard file.kind(path) == H5I_DATASET else { throw StoreError(file.url, "\(path) is not a dataset") }
            let d = try H5Dataset.open(file, path)
            let attributes = H5Attributes(context: file.context, object: try file.object(path), path: path)
            let kindText = try attributes.string("kind") ?? "", scopeText = try attributes.string("scope") ?? ""
            guard let kind = Label.Kind(rawValue: kindText) else {
                throw StoreError(file.url, "\(path) has kind '\(kindText)', expected one of \(Label.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let scope = Label.Scope(rawValue: scopeText) else {
                throw StoreError(file.url, "\(path) has scope '\(scopeText)', expected subject or record")
            }
            let rows = scope == .subject ? subjects : segments
            guard try d.shape() == [rows] else {
                throw StoreError(file.url, "\(path) has shape \(try d.shape()), expected [\(rows)] (one row per \(scope == .subject ? "subject" : "segment"))")
            }
            try StoreValidation.checkStored(d, url: file.url)
            let cls = try d.typeClass()
            if kind == .numeric {
                guard cls == H5T_FLOAT else { throw StoreError(file.url, "\(path) is a numeric label but does not hold floats") }
                let raw: [Double] = try d.read(0..<rows, as: H5Type.float64)
                return Label(name: name, kind: kind, scope: scope, values: raw.map { $0.isNaN ? nil : $0 })
            }
            guard cls == H5T_INTEGER else { throw StoreError(file.url, "\(path) is a \(kind.rawValue) label but does not hold integer codes") }
            guard let json = try attributes.string("classes"),
                  let classes = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else {
                throw StoreError(file.url, "\(path) has no 'classes' attribute (a JSON array of class names)")
            }
            let codes: [Int32] = try d.read(0..<rows, as: H5Type.int32)
            if let bad = codes.firstIndex(where: { $0 < -1 || Int($0) >= classes.count }) {
                throw StoreError(file.url, "\(path)[\(bad)] holds invalid code \(codes[bad]) (\(classes.count) classes)")
            }
            return Label(name: name, kind: kind, scope: scope, classes: classes, values: codes.map { $0 < 0 ? nil : Double($0) })
        }
    }

    // MARK: - Writing

    /// Writes `labels` into a file that has none yet.
    static func write(_ labels: [Label], to file: H5File, subjects: Int, segments: Int) throws {
        var seen: Set<String> = []
        for label in labels {
            if let problem = Label.problem(withName: label.name) { throw StoreError(file.url, problem) }
            guard seen.insert(label.name).inserted, file.kind(StoreLayout.label(label.name)) == nil else {
                throw StoreError(file.url, "label '\(label.name)' is given twice")
            }
            let rows = label.scope == .subject ? subjects : segments
            guard label.values.count == rows else {
                throw StoreError(file.url, "label '\(label.name)' has \(label.values.count) values, expected \(rows) (one per \(label.scope == .subject ? "subject" : "segment"))")
            }
            let path = StoreLayout.label(label.name)
            let chunk = max(1, min(rows, StoreLayout.columnChunkRows))
            let z = H5Dataset.Compression.shuffleDeflate(level: StoreLayout.deflateLevel)
            if label.kind == .numeric {
                guard label.values.allSatisfy({ $0?.isFinite ?? true }) else {
                    throw StoreError(file.url, "label '\(label.name)' has a value that is not a finite number")
                }
                try H5Dataset.create(file, path, type: H5Type.float64, dims: [rows], chunkRows: chunk, compression: z, fill: Double.nan)
                    .write(label.values.map { $0 ?? .nan }, at: 0, rows: rows, as: H5Type.float64)
            } else {
                let limit = label.kind == .binary ? 2 : Label.maxClasses
                guard (1...limit).contains(label.classes.count) else {
                    throw StoreError(file.url, "label '\(label.name)' is \(label.kind.rawValue) with \(label.classes.count) classes (at most \(limit))")
                }
                guard label.values.allSatisfy({ v in v.map { $0 >= 0 && $0 < Double(label.classes.count) && $0 == $0.rounded() } ?? true }) else {
                    throw StoreError(file.url, "label '\(label.name)' has a code outside its \(label.classes.count) classes")
                }
                try H5Dataset.create(file, path, type: H5Type.int32, dims: [rows], chunkRows: chunk, compression: z, fill: Int32(-1))
                    .write(label.values.map { $0.map { Int32($0) } ?? -1 }, at: 0, rows: rows, as: H5Type.int32)
            }
            let attributes = H5Attributes(context: file.context, object: try file.object(path), path: path)
            try attributes.set("kind", label.kind.rawValue)
            try attributes.set("scope", label.scope.rawValue)
            if label.kind != .numeric {
                let json = try JSONEncoder().encode(label.classes)
                try attributes.set("classes", String(decoding: json, as: UTF8.self))
            }
        }
    }
}
