import Foundation
import Store
import TerminalUI

/// A label of the store's label table as a colouring of the Projection pane: binary and
/// categorical labels by class (six colours, and glyphs without colour; a seventh class and
/// beyond reuse the sixth, which the legend marks "…"), numeric ones on a five-step scale from
/// the label's smallest to its largest value. Two colourings are equal when their labels have
/// the same name (the labels of one store), so a map's memo key does not hash the values.
public struct LabelColoring: Sendable, Hashable {
    public let label: Label
    /// The smallest and largest value (numeric labels).
    let low: Double, high: Double

    static let classColors: [Color] = [.green, .red, .yellow, .magenta, .blue, .cyan]
    static let scaleColors: [Color] = [.blue, .cyan, .green, .yellow, .red]

    public init(_ label: Label) {
        self.label = label
        let present = label.values.compactMap { $0 }
        low = present.min() ?? 0; high = present.max() ?? 0
    }

    public static func == (a: LabelColoring, b: LabelColoring) -> Bool { a.label.name == b.label.name }
    public func hash(into h: inout Hasher) { h.combine(label.name) }

    /// True when rows of one subject can differ (a record-scope label).
    var isPerRecord: Bool { label.scope == .record }

    /// The row's value (a number or a class code), nil when missing.
    func value(_ row: RecordRow) -> Double? {
        let i = label.scope == .subject ? row.subjectIndex : row.index
        return label.values.indices.contains(i) ? label.values[i] : nil
    }

    /// The legend entry of a row (nil when its value is missing).
    func group(_ row: RecordRow) -> Int? {
        guard let v = value(row) else { return nil }
        if label.kind != .numeric { return min(Int(v), Self.classColors.count - 1) }
        guard high > low else { return 0 }
        return min(Self.scaleColors.count - 1, Int((v - low) / (high - low) * Double(Self.scaleColors.count)))
    }

    /// Legend entries: class names (the sixth "…" when there are more), or the scale with its
    /// ends written at the first and last step.
    var legend: [(Color, String)] {
        if label.kind == .numeric {
            return Self.scaleColors.enumerated().map { i, c in
                (c, i == 0 ? Self.format(low) : i == Self.scaleColors.count - 1 ? Self.format(high) : "")
            }
        }
        let n = min(label.classes.count, Self.classColors.count)
        return (0..<n).map { i in
            (Self.classColors[i], i == n - 1 && label.classes.count > n ? "…" : label.classes[i])
        }
    }

    static func format(_ v: Double) -> String { String(format: "%.3g", v) }
}

extension ColorLabel {
    /// True when the colour can change between rows of one subject.
    var isPerRecord: Bool {
        if case .label(let l) = self { return l.isPerRecord }
        return false
    }
}
