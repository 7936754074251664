/// An analytics failure with a one-line message naming the input and the problem.
public struct AnalyticsError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ message: String) { description = message }
}
