import Foundation

/// A store could not be opened, read or written: names the file and the problem in one line.
///
/// Every failure of the Store module (bad input, HDF5 errors, out-of-range reads) surfaces as
/// this type, so the command line can print `description` and exit 1.
public struct StoreError: Error, CustomStringConvertible, Equatable {
    /// The store's path as given by the caller.
    public var path: String
    /// What went wrong, without the path.
    public var problem: String

    public init(_ url: URL, _ problem: String) {
        self.path = url.path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
