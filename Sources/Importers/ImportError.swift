import Foundation

/// Why a recording could not be read or imported: always one line naming the file and the
/// problem, so the command line can print it as is.
public struct ImportError: Error, CustomStringConvertible, Equatable {
    /// The file (or record) the problem is in.
    public var path: String
    /// What is wrong with it, in a few words.
    public var problem: String

    public init(_ path: String, _ problem: String) { self.path = path; self.problem = problem }
    public init(_ url: URL, _ problem: String) { self.init(url.path, problem) }

    public var description: String { "\(path): \(problem)" }
}
