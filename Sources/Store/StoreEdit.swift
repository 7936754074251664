import CHDF5
import Foundation

/// An open, writable copy of a store, handed to the body of `StoreEditor.edit`. Adds or
/// replaces float32 matrices (fingerprints, projections, analytics) and attributes.
public final class StoreEdit {
    private var file: H5File?
    /// The original store's path, named in errors (the copy's path means nothing to users).
    private let url: URL
    /// Segments in the store (the row count fingerprint matrices need).
    public let segmentCount: Int

    init(file: H5File, reportedAs url: URL) throws {
        self.file = file
        self.url = url
        segmentCount = try H5Dataset.open(file, StoreLayout.Segments.subject).shape()[0]
    }

    private func open() throws -> H5File {
        guard let file else { throw StoreError(url, "the edit is already closed") }
        return file
    }

    /// Runs `body`, reporting its errors against the original path.
    func reporting<T>(_ body: (H5File) throws -> T) throws -> T {
        let f = try open()
        do { return try body(f) } catch let e as StoreError where e.path == f.url.path {
            throw e.at(url)
        }
    }

    func flush() throws { try reporting { try $0.flush() } }
    func close() { file = nil }

    // MARK: - Matrices

    /// Creates a float32 matrix [rows, cols] at `path` (chunked, unwritten rows read NaN),
    /// replacing whatever was there; parent groups are created.
    public func createMatrix(_ path: String, rows: Int, cols: Int) throws {
        guard rows >= 0, cols > 0 else { throw StoreError(url, "cannot create \(path) with shape [\(rows), \(cols)]") }
        try checkWritable(path)
        try reporting { f in
            if f.exists(path) { try f.unlink(path) }
            // About 256 KB per chunk, whole rows.
            let chunkRows = max(1, min(max(rows, 1), (256 << 10) / (cols * 4)))
            _ = try H5Dataset.create(f, path, type: H5Type.float32, dims: [rows, cols], chunkRows: chunkRows,
                                     compression: .none, fill: Float.nan)
        }
    }

    /// Writes whole rows of the matrix at `path`, from row `start`: `data` is (n, cols) row-major.
    public func writeRows(_ path: String, start: Int, _ data: [Float], cols: Int) throws {
        try reporting { f in
            let d = try H5Dataset.open(f, path)
            let shape = try d.shape()
            guard shape.count == 2, shape[1] == cols else {
                throw StoreError(url, "\(path) has shape \(shape), cannot write rows of \(cols) columns")
            }
            guard cols > 0, data.count % cols == 0 else {
                throw StoreError(url, "\(data.count) values are not whole rows of \(cols) columns for \(path)")
            }
            let n = data.count / cols
            guard start >= 0, start + n <= shape[0] else {
                throw StoreError(url, "rows \(start)..<\(start + n) out of range for \(path) (\(shape[0]) rows)")
            }
            try d.write(data, at: start, rows: n, as: H5Type.float32)
        }
    }

    // MARK: - Attributes and removal

    /// Sets string attributes on the group or dataset at `path`, creating the group (and
    /// its parents) when nothing is there. `format` and `schema_version` on "/" are refused.
    public func setAttributes(_ path: String, _ attrs: [String: String]) throws {
        if path == "/" {
            for key in attrs.keys where StoreLayout.reservedAttributes.contains(key) {
                throw StoreError(url, "root attribute '\(key)' is reserved by the store layout")
            }
        }
        try reporting { f in
            let object = f.exists(path) || path == "/" ? try f.object(path) : try f.groupCreating(path)
            let a = H5Attributes(context: f.context, object: object, path: path)
            for (k, v) in attrs.sorted(by: { $0.key < $1.key }) { try a.set(k, v) }
        }
    }

    /// Removes the group or dataset at `path`; nothing happens when it is absent.
    /// The store's own datasets (signals, segments, subjects, labels) cannot be removed.
    public func remove(_ path: String) throws {
        try checkWritable(path)
        try reporting { f in
            if f.exists(path) { try f.unlink(path) }
        }
    }

    /// The path of one model's fingerprints: "/models/<id>/fingerprints/<mode>".
    public static func fingerprintPath(model: String, mode: FingerprintMode) -> String {
        StoreLayout.fingerprints(model: model, mode: mode)
    }

    /// Edits may only touch paths outside the core record layout.
    private func checkWritable(_ path: String) throws {
        let core = ["/signals", "/segments", "/subjects", StoreLayout.labels]
        guard path.hasPrefix("/"), path != "/",
              !core.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) else {
            throw StoreError(url, "\(path) is part of the record layout and cannot be replaced or removed by an edit")
        }
    }
}
