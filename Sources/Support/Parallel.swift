import Foundation

// MARK: - Worker threads

/// Runs `body(i)` for every `i` in `0..<iterations`, spread over the cores
/// (`DispatchQueue.concurrentPerform`), and returns once all have finished.
///
/// Iterations run in no fixed order and at the same time, so `body` must only write state that
/// belongs to its own `i` (through a `SendablePointer`, say). When iterations throw, every
/// iteration still runs to its end (a worker cannot be stopped from outside) and the first error
/// recorded is rethrown; the others are dropped.
/// - Parameters:
///   - iterations: how many times to call `body` (0 returns at once).
///   - body: the work of iteration `i`.
/// - Throws: the first error `body` threw.
/// - Complexity: `iterations` calls of `body`; about `iterations / cores` of them one after
///   another on each core.
public func parallelFor<E: Error>(_ iterations: Int, _ body: @Sendable (Int) throws(E) -> Void) throws(E) {
    guard iterations > 1 else {
        if iterations == 1 { try body(0) }
        return
    }
    let failure = FirstError<E>()
    DispatchQueue.concurrentPerform(iterations: iterations) { i in
        do throws(E) { try body(i) } catch { failure.record(error) }
    }
    if let error = failure.error { throw error }
}

/// The first error recorded by any worker thread.
private final class FirstError<E: Error>: @unchecked Sendable {
    private let lock = NSLock()
    private var first: E?
    func record(_ e: E) { lock.withLock { if first == nil { first = e } } }
    var error: E? { lock.withLock { first } }
}

// MARK: - Shared memory

/// A pointer that worker threads share: each writes only elements no other thread touches
/// while they run, or all only read.
///
/// `@unchecked Sendable` because the compiler cannot see that the threads' elements are
/// disjoint; that promise is the caller's. The memory must outlive every thread using it
/// (typically a `withUnsafeMutableBufferPointer` around a `parallelFor`).
public struct SendablePointer<Element>: @unchecked Sendable {
    /// The first element.
    public let pointer: UnsafeMutablePointer<Element>

    /// Shares `pointer`.
    public init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }

    /// Shares read-only memory; the threads must not write through it.
    public init(readOnly pointer: UnsafePointer<Element>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }

    /// Element `i`. - Complexity: O(1).
    public subscript(i: Int) -> Element {
        get { pointer[i] }
        nonmutating set { pointer[i] = newValue }
    }
}
