/// What a probe learns: class indices (with their names) or real values.
public enum ProbeTarget: Sendable {
    /// Labels in 0..<names.count, (n).
    case classes([Int], names: [String])
    /// Regression targets, (n).
    case values([Float], unit: String)

    /// Number of samples.
    public var count: Int {
        switch self { case .classes(let l, _): l.count; case .values(let v, _): v.count }
    }

    /// The targets of samples `indices`, in that order.
    public func subset(_ indices: [Int]) -> ProbeTarget {
        switch self {
        case .classes(let l, let names): .classes(indices.map { l[$0] }, names: names)
        case .values(let v, let unit): .values(indices.map { v[$0] }, unit: unit)
        }
    }
}
