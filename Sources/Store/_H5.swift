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
    withExtendedLifetime(collector) {
        _ = H5Ewalk2(0 /* H5E_DEFAULT */, H5E_WALK_DOWNWARD, { _, err, data in
            guard let err, let data, let desc = err.pointee.desc else { return 0 }
            Unmanaged<Collector>.fromOpaque(data).takeUnretainedValue().messages.append(String(cString: desc))
            return 0
        }, Unmanaged.passUnretained(collector).toOpaque())
    }
    H5Eclear2(0)
    return collector.messages.last ?? ""
}

// MARK: - Handles

/// An HDF5 identifier that is closed when the last reference goes away (RAII).
final class H5Handle: @unchecked Sendable {
    /// The raw identifier; valid while this object lives.
    let id: hid_t
    private let close: (hid_t) -> herr_t

    /// Wraps `id`, or returns nil when `id` is negative (the HDF5 failure value).
    init?(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        guard id >= 0 else { return nil }
        self.id = id
        self.close = close
    }

    deinit { withHDF5 { _ = close(id) } }
}

/// Where an HDF5 call happened, for error messages: the file and what was being done.
struct H5Context {
    let url: URL

    /// A StoreError for `what`, with HDF5's own innermost message appended when there is one.
    func error(_ what: String) -> StoreError {
        let detail = hdf5ErrorMessage()
        return StoreError(url, detail.isEmpty ? what : "\(what) (HDF5: \(detail))")
    }

    /// Returns `id` wrapped in a handle, or throws `what` when HDF5 reported failure.
    func handle(_ id: hid_t, _ what: @autoclosure () -> String,
                close: @escaping (hid_t) -> herr_t) throws -> H5Handle {
        guard let h = H5Handle(id, close: close) else { throw error(what()) }
        return h
    }

    /// Throws `what` when an HDF5 status is negative.
    func check(_ status: herr_t, _ what: @autoclosure () -> String) throws {
        if status < 0 { throw error(what()) }
    }
}

// MARK: - Types and property lists

/// Predefined and derived HDF5 datatypes used by the store.
enum H5Type {
    static var float32: hid_t { m2ae_H5T_NATIVE_FLOAT() }
    static var float64: hid_t { m2ae_H5T_NATIVE_DOUBLE() }
    static var int32: hid_t { m2ae_H5T_NATIVE_INT32() }
    static var int64: hid_t { m2ae_H5T_NATIVE_INT64() }
    static var int8: hid_t { m2ae_H5T_NATIVE_INT8() }
    static var uint8: hid_t { m2ae_H5T_NATIVE_UINT8() }

    /// The little-endian file type matching a native memory type (files are portable).
    static func fileType(for native: hid_t) -> hid_t {
        if H5Tequal(native, float32) > 0 { return m2ae_H5T_IEEE_F32LE() }
        if H5Tequal(native, float64) > 0 { return m2ae_H5T_IEEE_F64LE() }
        if H5Tequal(native, int32) > 0 { return m2ae_H5T_STD_I32LE() }
        if H5Tequal(native, int64) > 0 { return m2ae_H5T_STD_I64LE() }
        if H5Tequal(native, int8) > 0 { return m2ae_H5T_STD_I8LE() }
        return m2ae_H5T_STD_U8LE()
    }

    /// A variable-length UTF-8 string type (what h5py reads as `str`).
    static func utf8String() -> H5Handle {
        let t = H5Tcopy(m2ae_H5T_C_S1())
        H5Tset_size(t, m2ae_H5T_VARIABLE())
        H5Tset_cset(t, H5T_CSET_UTF8)
        return H5Handle(t, close: H5Tclose)!
    }
}

/// The HDF5 "unlimited" extent (H5S_UNLIMITED, a macro Swift cannot import).
let h5Unlimited = hsize_t.max
