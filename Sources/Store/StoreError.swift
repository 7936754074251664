import Foundation

/// A store could not be opened, read or written: names the file and the problem in one line.
///
/// Every failure of the Store module (bad input, HDF5 errors, out-of-range reads) surfaces as
/// this type, so the command line can print `description` and exit 1. The cases a caller may
/// act on differently have their own case: a file that is not there, a file another process
/// holds locked (try again later; nothing is wrong with it), and a file that is not a readable
/// store (damaged, truncated, or not HDF5). Everything else is `failed`.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// There is no file at `path`.
    case missing(path: String)
    /// Another process holds an HDF5 lock on the file.
    case locked(path: String)
    /// The file is not a readable store: not HDF5, or damaged or truncated (`problem` says how).
    case damaged(path: String, problem: String)
    /// Any other failure: a bad request, a write that failed, a permission (`problem` says which).
    case failed(path: String, problem: String)

    /// A `failed` error.
    public init(_ url: URL, _ problem: String) { self = .failed(path: url.path, problem: problem) }

    /// The store's path as given by the caller.
    public var path: String {
        switch self {
        case .missing(let path), .locked(let path), .damaged(let path, _), .failed(let path, _): path
        }
    }

    /// What went wrong, without the path.
    public var problem: String {
        switch self {
        case .missing: "no such file"
        case .locked: "in use by another process (it holds an HDF5 file lock); try again when it has finished"
        case .damaged(_, let problem), .failed(_, let problem): problem
        }
    }

    public var description: String { "\(path): \(problem)" }

    /// The same error reported against `url` (a temporary file's errors name the user's path).
    public func at(_ url: URL) -> StoreError {
        switch self {
        case .missing: .missing(path: url.path)
        case .locked: .locked(path: url.path)
        case .damaged(_, let problem): .damaged(path: url.path, problem: problem)
        case .failed(_, let problem): .failed(path: url.path, problem: problem)
        }
    }
}
