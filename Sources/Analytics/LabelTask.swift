import Store

/// A label of the store's general label table (`/labels`) as a probed task: binary labels are
/// scored by AUROC and AUPRC, categorical ones by macro AUROC and macro F1, numeric ones by
/// MAE and Pearson r, like the built-in tasks of the same shape (`DownstreamTask`).
public struct LabelTask: Sendable, Codable, Equatable {
    /// The label's name.
    public var name: String
    public var kind: Label.Kind
    /// Class names in code order (binary, categorical); empty for numeric labels.
    public var classes: [String]

    public init(_ label: Label) { name = label.name; kind = label.kind; classes = label.classes }

    /// The metrics reported, first one headline.
    public var metrics: [MetricName] {
        switch kind {
        case .binary: [.auroc, .auprc]
        case .categorical: [.macroAUROC, .macroF1]
        case .numeric: [.mae, .pearson]
        }
    }

    /// The probe target for values `y` (class codes or numbers).
    func target(_ y: [Float]) -> ProbeTarget {
        kind == .numeric ? .values(y, unit: "") : .classes(y.map { Int($0) }, names: classes)
    }

    /// Each of `rows`' values of `label` (segments of its store, whose subjects are
    /// `subjectOf`), as numbers or as codes into `classes`: a test store's codes are mapped
    /// by class name, and a class this task does not know reads as missing.
    package func values(_ label: Label, rows: [Int], subjectOf: (Int) -> Int) -> [Float?] {
        let remap: [Int: Float] = Dictionary(uniqueKeysWithValues: label.classes.enumerated().compactMap { code, name in
            classes.firstIndex(of: name).map { (code, Float($0)) }
        })
        return rows.map { row in
            guard let v = label.value(segment: row, subjectIndex: subjectOf(row)) else { return nil }
            return kind == .numeric ? Float(v) : remap[Int(v)]
        }
    }
}
