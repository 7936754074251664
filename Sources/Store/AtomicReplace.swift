import Foundation

/// Writes a file by way of a temporary sibling and a rename, so that readers see either
/// the old file or the complete new one, never a half-written file (also after a crash or
/// Ctrl-C: the temporary file is removed on failure, and one left by a killed run is removed
/// by the next write of the same file).
public enum AtomicReplace {
    /// A temporary path beside `url`, on the same file system, so the final rename is atomic:
    /// `.NAME.tmp-PID-TAG`, with a random tag unless the caller gives one (a writer that
    /// writes one file at a time per process may use a fixed tag).
    public static func temporarySibling(of url: URL, tag: UInt32 = UInt32.random(in: 0...UInt32.max)) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(tag)")
    }

    /// Removes the temporary siblings of `url` left by runs that were killed before they
    /// could clean up (`.NAME.tmp-PID-RAND` whose process no longer exists). A sibling whose
    /// process is alive, this one's included, is another run's work in progress and is left.
    ///
    /// - Returns: the files removed.
    /// - Complexity: O(entries in the folder).
    @discardableResult
    public static func removeAbandonedSiblings(of url: URL) -> [URL] {
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed: [URL] = []
        for name in names.sorted() where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0,
                  UInt32(rest[rest.index(after: dash)...]) != nil else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let sibling = folder.appendingPathComponent(name)
            if (try? FileManager.default.removeItem(at: sibling)) != nil { removed.append(sibling) }
        }
        return removed
    }

    /// Temporary files being written now, which a process ending on a crash inside a
    /// library (``HDF5CrashGuard``) removes before it exits, so that nothing it started is
    /// left behind. At most `capacity` at once; more are simply not tracked (a later run
    /// removes them, as it does a killed run's).
    enum InFlight {
        static let capacity = 32, pathBytes = 4096
        private static let lock = NSLock()
        /// `capacity` paths of `pathBytes` bytes each, NUL-terminated; a slot is in use when
        /// its `used` flag is 1.
        nonisolated(unsafe) private static let paths = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * pathBytes)
        nonisolated(unsafe) private static let used: UnsafeMutablePointer<Int32> = {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            p.initialize(repeating: 0, count: capacity)
            return p
        }()

        /// Tracks `url`; returns its slot for ``remove(_:)``, or nil when every slot is taken.
        static func add(_ url: URL) -> Int? {
            let bytes = Array(url.path.utf8CString)
            guard bytes.count <= pathBytes else { return nil }
            lock.lock(); defer { lock.unlock() }
            guard let slot = (0..<capacity).first(where: { used[$0] == 0 }) else { return nil }
            bytes.withUnsafeBufferPointer { (paths + slot * pathBytes).update(from: $0.baseAddress!, count: bytes.count) }
            used[slot] = 1
            return slot
        }

        /// Stops tracking the file in `slot`.
        static func remove(_ slot: Int?) {
            guard let slot else { return }
            lock.lock(); defer { lock.unlock() }
            used[slot] = 0
        }

        /// The paths tracked now.
        static var tracked: [String] {
            lock.lock(); defer { lock.unlock() }
            return (0..<capacity).filter { used[$0] == 1 }.map { String(cString: paths + $0 * pathBytes) }
        }

        /// Unlinks every tracked file. Async-signal-safe: no allocation, no lock.
        static func unlinkAll() {
            for slot in 0..<capacity where used[slot] == 1 { unlink(paths + slot * pathBytes) }
        }
    }

    /// Runs `write` on a temporary path, then renames it over `url`.
    ///
    /// - Parameters:
    ///   - url: the final path.
    ///   - startFromCopy: when true and `url` exists, the temporary file starts as a copy of
    ///     it, so `write` can modify a store without touching the original until the rename.
    ///   - beforeRename: a last check, run after `write` and right before the rename; when it
    ///     throws, the temporary file is removed and `url` is untouched.
    ///   - write: writes the complete file at the path it is given.
    /// - Throws: whatever `write` or `beforeRename` throws (the temporary file is removed), or
    ///   the rename's error.
    public static func write<T>(to url: URL, startFromCopy: Bool = false, beforeRename: () throws -> Void = {},
                                _ write: (URL) throws -> T) throws -> T {
        removeAbandonedSiblings(of: url)
        let tmp = temporarySibling(of: url)
        let fm = FileManager.default
        let slot = InFlight.add(tmp)
        defer { try? fm.removeItem(at: tmp); InFlight.remove(slot) }
        if startFromCopy, fm.fileExists(atPath: url.path) {
            try fm.copyItem(at: url, to: tmp)
        }
        let result = try write(tmp)
        try beforeRename()
        if rename(tmp.path, url.path) != 0 {
            throw AtomicWriteError(path: url.path, reason: String(cString: strerror(errno)))
        }
        return result
    }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { tmp in
            let handle = try createNew(tmp)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
        }
    }

    /// Creates a new, empty file at `url` (failing if one exists) and opens it for writing.
    ///
    /// Foundation's `FileManager.createFile` and atomic `Data.write` go through a temporary
    /// file of their own (`.dat.nosync…`), which a killed process leaves behind under a name
    /// nothing can recognise; this writes in place.
    public static func createNew(_ url: URL) throws -> FileHandle {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicWriteError(path: url.path, reason: String(cString: strerror(errno))) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}

/// The final rename of an atomic write failed.
public struct AtomicWriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): could not replace the file (\(reason)); the previous version is intact" }
}
