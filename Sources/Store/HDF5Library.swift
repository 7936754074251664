import Foundation

/// The process's single entry to the HDF5 C library for code outside the Store (libmatio
/// reads MAT v7.3 files through HDF5): the library as Debian and Homebrew build it is not
/// thread-safe everywhere, so every use goes through the Store's one lock.
public enum HDF5Library {
    /// Runs `body` while holding the HDF5 lock (recursive), with HDF5's own error printing off.
    /// - Parameters:
    ///   - file: the file `body` reads, named by ``HDF5CrashGuard`` should a library crash inside it.
    ///   - library: the library `body` reads it with, for that line.
    public static func serialised<T>(reading file: URL? = nil, with library: String = "HDF5", _ body: () throws -> T) rethrows -> T {
        try withHDF5(file, library: library, body)
    }
}
