// MARK: - Arena size-table errors

/// A bad arena size table (duplicate or empty name, negative count).
public struct ArenaError: Error, CustomStringConvertible {
    /// What is wrong with the table.
    public var description: String
}
