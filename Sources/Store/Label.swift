/// One named label of a store's general label table (`/labels/<name>`): a task a probe can
/// be fitted on, with one value per subject or per record.
///
/// Values are numbers for a numeric label and class codes (indices into `classes`) for a
/// binary or categorical one; nil is an explicit missing value. A record-scope label holds one
/// value per segment (every segment carries its record's value), so a reader needs no record
/// table and two records with the same file name in different folders stay apart.
public struct Label: Sendable, Hashable, Codable {
    /// What the values are.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Two classes.
        case binary
        /// One to `Label.maxClasses` classes.
        case categorical
        /// Any finite number.
        case numeric
    }

    /// What one value belongs to.
    public enum Scope: String, Sendable, Hashable, Codable, CaseIterable {
        /// One value per subject (rows of `/subjects`).
        case subject
        /// One value per record, stored on each of its segments (rows of `/segments`).
        case record
    }

    /// The most classes a categorical label may have.
    public static let maxClasses = 50

    /// The label's name (its dataset's name under `/labels`).
    public var name: String
    public var kind: Kind
    public var scope: Scope
    /// Class names in code order for binary and categorical labels; empty for numeric ones.
    public var classes: [String]
    /// One value per subject (`.subject`) or per segment (`.record`): the number, or the class
    /// code; nil when missing.
    public var values: [Double?]

    public init(name: String, kind: Kind, scope: Scope, classes: [String] = [], values: [Double?]) {
        self.name = name; self.kind = kind; self.scope = scope; self.classes = classes; self.values = values
    }

    // MARK: - API

    /// The value of segment `segment`, whose subject is `subjectIndex`.
    public func value(segment: Int, subjectIndex: Int) -> Double? {
        values[scope == .subject ? subjectIndex : segment]
    }

    /// The class name of a value (nil for numeric labels and missing values).
    public func className(_ value: Double?) -> String? {
        guard kind != .numeric, let value, value >= 0, Int(value) < classes.count else { return nil }
        return classes[Int(value)]
    }

    /// Why a label name cannot name a dataset under `/labels`, or nil when it can.
    public static func problem(withName name: String) -> String? {
        if name.isEmpty { return "a label needs a name" }
        if name.contains("/") { return "label name '\(name)' contains '/'" }
        if name.hasPrefix(".") { return "label name '\(name)' starts with '.'" }
        if name.count > 100 { return "label name '\(name.prefix(20))…' is longer than 100 characters" }
        return nil
    }
}
