extension String {
    /// The string padded with spaces to `width` characters (left-aligned unless `right`).
    public func padded(_ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - count))
        return right ? fill + self : self + fill
    }
}
