import ArgumentParser

/// A user-facing error: one line naming the file and the problem, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
