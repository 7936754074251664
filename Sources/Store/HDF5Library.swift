import Foundation

/// The process's single entry to the HDF5 C library for code outside the Store (libmatio
/// reads MAT v7.3 files through HDF5): the library as Debian and Homebrew build it is not
/// thread-safe everywhere, so every use goes through the Store's one lock.
public enum HDF5Library {
    /// Runs `body` while holding the HDF5 lock (recursive), with HDF5's own error printing off.
    /// - Parameter file: the file `body` reads, named by ``HDF5CrashGuard`` should the library
    ///   crash inside it.
    public static func serialised<T>(reading file: URL? = nil, _ body: () throws -> T) rethrows -> T {
        try withHDF5(file, body)
    }
}
