import Foundation

/// Changes an existing store (embed, projections, kNN index) without risking it: the edit
/// runs on a copy, and the copy is renamed over the original only when the body returns.
/// If the body throws (or the process dies) the original is left byte-identical.
public enum StoreEditor {
    /// Copies the store at `url`, opens the copy for writing, runs `body`, closes the copy
    /// and renames it over `url`.
    ///
    /// - Throws: a `StoreError` when `url` is not a store of this schema version, or
    ///   whatever `body` throws (the copy is then removed).
    public static func edit<T>(_ url: URL, _ body: (StoreEdit) throws -> T) throws -> T {
        // Validates the original first, so a bad file is reported against its real path.
        _ = try RecordStore(url: url)
        return try AtomicReplace.write(to: url, startFromCopy: true) { tmp in
            let edit = try StoreEdit(file: H5File(tmp, mode: .readWrite), reportedAs: url)
            defer { edit.close() }
            let result = try body(edit)
            try edit.flush()
            return result
        }
    }
}
