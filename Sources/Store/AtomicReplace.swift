import Foundation

/// Writes a file by way of a temporary sibling and a rename, so that readers see either
/// the old file or the complete new one, never a half-written file (also after a crash or
/// Ctrl-C: the temporary file is removed on failure and ignored otherwise).
public enum AtomicReplace {
    /// A temporary path beside `url`, on the same file system, so the final rename is atomic.
    public static func temporarySibling(of url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Runs `write` on a temporary path, then renames it over `url`.
    ///
    /// - Parameters:
    ///   - url: the final path.
    ///   - startFromCopy: when true and `url` exists, the temporary file starts as a copy of
    ///     it, so `write` can modify a store without touching the original until the rename.
    ///   - write: writes the complete file at the path it is given.
    /// - Throws: whatever `write` throws (the temporary file is removed), or the rename's error.
    public static func write<T>(to url: URL, startFromCopy: Bool = false,
                                _ write: (URL) throws -> T) throws -> T {
        let tmp = temporarySibling(of: url)
        let fm = FileManager.default
        defer { try? fm.removeItem(at: tmp) }
        if startFromCopy, fm.fileExists(atPath: url.path) {
            try fm.copyItem(at: url, to: tmp)
        }
        let result = try write(tmp)
        if rename(tmp.path, url.path) != 0 {
            throw AtomicWriteError(path: url.path, reason: String(cString: strerror(errno)))
        }
        return result
    }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { tmp in try data.write(to: tmp) }
    }
}

/// The final rename of an atomic write failed.
public struct AtomicWriteError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): could not replace the file (\(reason)); the previous version is intact" }
}
