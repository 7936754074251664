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
    ///
    /// - Parameter expected: the identity of the store the edit's content was computed from
    ///   (`RecordStore.identity`). When given, the edit is refused, and nothing written, if the
    ///   path names another file or a changed one, checked before the copy and again just before
    ///   the rename (another command can replace a store while `embed` runs for minutes).
    public static func edit<T>(_ url: URL, expecting expected: FileIdentity? = nil,
                               _ body: (StoreEdit) throws -> T) throws -> T {
        // Validates the original first, so a bad file is reported against its real path.
        let original = try RecordStore(url: url)
        func checkUnchanged() throws {
            guard let expected else { return }
            let now = try FileIdentity(of: url)
            guard now == expected else {
                throw StoreError(url, "the store was replaced or changed by another command since it was read; nothing was written (run the command again)")
            }
        }
        try checkUnchanged()
        // A store without its owner's write bit was made read-only on purpose: the edit would
        // replace it all the same (the folder is writable), so it is refused, also for root.
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IWUSR != 0, access(url.path, W_OK) == 0 else {
            throw StoreError(url, "the store is read-only; make it writable (chmod u+w) to add to it")
        }
        return try withExtendedLifetime(original) {
            try AtomicReplace.write(to: url, startFromCopy: true, beforeRename: checkUnchanged) { tmp in
                let edit = try StoreEdit(file: H5File(tmp, mode: .readWrite), reportedAs: url)
                defer { edit.close() }
                let result = try body(edit)
                try edit.flush()
                return result
            }
        }
    }
}
