import Foundation

/// Why a recording could not be read or imported: always one line naming the file and the
/// problem, so the command line can print it as is.
///
/// A file that is not there is `missing`, so a caller (a manifest import that skips what is
/// not there yet, say) can tell it from a file that is there and wrong (`invalid`) without
/// reading the message.
public enum ImportError: Error, CustomStringConvertible, Equatable {
    /// There is no file (or record) at `path`.
    case missing(path: String, problem: String)
    /// The file is there but cannot be read or used.
    case invalid(path: String, problem: String)

    /// An `invalid` error.
    public init(_ path: String, _ problem: String) { self = .invalid(path: path, problem: problem) }
    /// An `invalid` error.
    public init(_ url: URL, _ problem: String) { self.init(url.path, problem) }

    /// A `missing` error for `url` when nothing is there, else an `invalid` one: the readers'
    /// answer when a file cannot be opened.
    static func unreadable(_ url: URL, missing: String, unreadable: String) -> ImportError {
        FileManager.default.fileExists(atPath: url.path) ? .invalid(path: url.path, problem: unreadable)
            : .missing(path: url.path, problem: missing)
    }

    /// The file (or record) the problem is in.
    public var path: String {
        switch self { case .missing(let path, _), .invalid(let path, _): path }
    }

    /// What is wrong with it, in a few words.
    public var problem: String {
        switch self { case .missing(_, let problem), .invalid(_, let problem): problem }
    }

    public var description: String { "\(path): \(problem)" }

    /// The same kind of error, reported against another file (a manifest line naming this one).
    func reported(at path: String, _ problem: String) -> ImportError {
        switch self {
        case .missing: .missing(path: path, problem: problem)
        case .invalid: .invalid(path: path, problem: problem)
        }
    }
}
