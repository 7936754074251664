import CHDF5
import Foundation

// MARK: - Internal API: serialised access to the HDF5 library

/// The HDF5 library as packaged by Debian and Homebrew is built without thread safety, so
/// every call into it goes through this one lock (recursive: helpers call helpers).
let hdf5Lock = NSRecursiveLock()

/// Runs `body` while holding the HDF5 lock; the first call also silences HDF5's own
/// error printing, since the Store reports errors itself.
@discardableResult
func withHDF5<T>(_ body: () throws -> T) rethrows -> T {
    hdf5Lock.lock()
    defer { hdf5Lock.unlock() }
    _ = hdf5Silenced
    return try body()
}

/// Evaluated once, on first use: turns off HDF5's automatic error-stack printing.
private let hdf5Silenced: Void = m2ae_H5_silence_errors()

/// The innermost message of HDF5's current error stack (the most specific one, e.g.
/// "truncated file: eof = …"), and clears the stack. Empty when the stack is empty.
func hdf5ErrorMessage() -> String {
    final class Collector { var messages: [String] = [] }
    let collector = Collector()
    withHDF5 {
        _ = H5Ewalk2(0 /* H5E_DEFAULT */, H5E_WALK_DOWNWARD, { _, err, data in
            guard let err, let data, let desc = err.pointee.desc else { return 0 }
            Unmanaged<Collector>.fromOpaque(data).takeUnretainedValue().messages.append(String(cString: desc))
            return 0
        }, Unmanaged.passUnretained(collector).toOpaque())
        H5Eclear2(0)
    }
    return withExtendedLifetime(collector) { collector.messages.last ?? "" }
}
