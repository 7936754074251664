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
    HDF5Watchdog.enter()
    defer { HDF5Watchdog.leave() }
    return try body()
}

// MARK: - API: a watchdog for calls that never return

/// Ends a process whose HDF5 call has not returned for ``limit`` seconds.
///
/// Some damaged files send HDF5 into a loop it never leaves (measured: a mutated store whose
/// root attribute's global-heap entry is corrupt hangs in `H5HG_read`, in Debian's HDF5 1.10.8
/// and in HDF5 2.0 under h5py alike). A thread stuck inside the library cannot be stopped,
/// and it holds the HDF5 lock, so the process can do nothing more; a command-line tool is
/// better off saying so and exiting. ``start(limit:onHang:)`` turns the watchdog on (m2ae does
/// at start-up); until then the calls are only counted.
public enum HDF5Watchdog {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var entered = DispatchTime.now()
    nonisolated(unsafe) private static var started = false

    static func enter() {
        lock.lock(); defer { lock.unlock() }
        if depth == 0 { entered = .now() }
        depth += 1
    }

    static func leave() {
        lock.lock(); defer { lock.unlock() }
        depth -= 1
    }

    /// Seconds the current outermost HDF5 call has been running, or nil when none runs.
    static func running() -> Double? {
        lock.lock(); defer { lock.unlock() }
        return depth > 0 ? Double(DispatchTime.now().uptimeNanoseconds - entered.uptimeNanoseconds) / 1e9 : nil
    }

    /// Starts checking, once a second, that no HDF5 call has run longer than `limit` seconds;
    /// when one has, calls `onHang` (which must not return: it reports and exits) with the
    /// seconds it has run. Calling it again does nothing.
    public static func start(limit: Double, onHang: @escaping @Sendable (Double) -> Never) {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: 1)
                if let seconds = running(), seconds > limit { onHang(seconds) }
            }
        }
        thread.name = "hdf5-watchdog"
        thread.start()
    }
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
