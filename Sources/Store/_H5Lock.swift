import CHDF5
import Foundation

// MARK: - Internal API: serialised access to the HDF5 library

/// The HDF5 library as packaged by Debian and Homebrew is built without thread safety, so
/// every call into it goes through this one lock (recursive: helpers call helpers).
let hdf5Lock = NSRecursiveLock()

/// Runs `body` while holding the HDF5 lock; the first call also silences HDF5's own
/// error printing, since the Store reports errors itself.
/// - Parameters:
///   - file: the file the call works on, named by ``HDF5CrashGuard`` should the library crash
///     inside it (calls without one keep the last file named).
///   - library: the library that reads it (libmatio reads MAT files through HDF5's lock too).
@discardableResult
func withHDF5<T>(_ file: URL? = nil, library: String = "HDF5", _ body: () throws -> T) rethrows -> T {
    hdf5Lock.lock()
    defer { hdf5Lock.unlock() }
    _ = hdf5Silenced
    if let file { HDF5CrashGuard.name(file, library: library) }
    HDF5Watchdog.enter()
    HDF5CrashGuard.inside += 1
    defer { HDF5CrashGuard.inside -= 1; HDF5Watchdog.leave() }
    return try body()
}

// MARK: - API: a guard for calls that crash

/// Turns a crash inside the HDF5 library into one line naming the file, and exit status 1.
///
/// Damaged metadata can make HDF5 read through a wild pointer (measured: mutated MAT v7.3
/// files end Debian's HDF5 1.10.8 with SIGSEGV inside `Mat_Open`). The library's state is
/// lost then, but nothing of the user's is: every file m2ae writes is written beside its
/// target and renamed into place once closed, so a process that ends mid-call leaves the
/// target as it was, and the guard removes the temporary files being written
/// (`AtomicReplace.InFlight`) before it exits. ``install(message:)`` (m2ae does at start-up) catches SIGSEGV and SIGBUS
/// on an alternate stack: inside an HDF5 call it writes the line and exits with status 1;
/// anywhere else it restores the default action, so every other crash stays a crash.
public enum HDF5CrashGuard {
    /// How many HDF5 calls are running (nested calls count each); read by the signal handler.
    nonisolated(unsafe) static var inside: Int = 0
    private static let capacity = 4096
    /// The line written on a crash, kept ready, since a signal handler may not allocate.
    nonisolated(unsafe) fileprivate static let line = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) fileprivate static var lineLength = 0
    nonisolated(unsafe) private static var named: URL?

    /// Catches SIGSEGV and SIGBUS from here on. `message(path, library)` makes the line for
    /// the file last named and the library reading it (path nil when none was); it is called
    /// now and whenever a new file is named.
    public static func install(message: @escaping @Sendable (String?, String) -> String) {
        withHDF5 {
            format = message
            compose()
        }
        let stackSize = 1 << 16
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        stack.ss_size = stackSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = onCrash
        action.sa_flags = Int32(SA_ONSTACK)
        sigemptyset(&action.sa_mask)
        for sig in [SIGSEGV, SIGBUS] { sigaction(sig, &action, nil) }
    }

    nonisolated(unsafe) private static var format: (@Sendable (String?, String) -> String)?
    nonisolated(unsafe) private static var library = "HDF5"

    /// Remembers `file` as the one `library` is working on. Called holding the HDF5 lock.
    static func name(_ file: URL, library: String) {
        guard file != named || library != self.library else { return }
        named = file
        self.library = library
        compose()
    }

    /// Writes the crash line for the file last named into `line`.
    private static func compose() {
        guard let format else { return }
        let text = Array((format(named?.path, library) + "\n").utf8.prefix(capacity))
        lineLength = 0
        text.withUnsafeBufferPointer { line.update(from: $0.baseAddress!, count: $0.count) }
        lineLength = text.count
    }
}

/// SIGSEGV/SIGBUS: inside an HDF5 call, the guard's line and exit status 1; elsewhere the
/// default action.
private func onCrash(_ sig: Int32) {
    if HDF5CrashGuard.inside > 0, HDF5CrashGuard.lineLength > 0 {
        AtomicReplace.InFlight.unlinkAll()
        _ = write(2, HDF5CrashGuard.line, HDF5CrashGuard.lineLength)
        _exit(1)
    }
    signal(sig, SIG_DFL)
    raise(sig)
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
