/// One value for each modality, read and written by `Modality`: `x[.ecg]`, `x[m]`, `x.ppg`.
///
/// The type says "one per modality" once, where parallel arrays indexed `m == .ecg ? 0 : 1`,
/// dictionaries keyed "ecg"/"ppg" and pairs of variables said it by convention.
/// `Modality.allCases` order (ECG, then PPG) is the order of every traversal.
public struct PerModality<Value> {
    public var ecg: Value
    public var ppg: Value

    /// The two values.
    public init(ecg: Value, ppg: Value) { self.ecg = ecg; self.ppg = ppg }

    /// Each modality's value from `make`, called for ECG first, then PPG.
    public init(_ make: (Modality) throws -> Value) rethrows {
        ecg = try make(.ecg)
        ppg = try make(.ppg)
    }

    /// The value of modality `m`; mutated in place (no copy of an array value).
    /// - Complexity: O(1).
    public subscript(m: Modality) -> Value {
        get {
            switch m {
            case .ecg: ecg
            case .ppg: ppg
            }
        }
        _modify {
            switch m {
            case .ecg: yield &ecg
            case .ppg: yield &ppg
            }
        }
    }

    /// Both values transformed, ECG first.
    public func map<T>(_ transform: (Value) throws -> T) rethrows -> PerModality<T> {
        PerModality<T>(ecg: try transform(ecg), ppg: try transform(ppg))
    }
}

extension PerModality: Sendable where Value: Sendable {}
extension PerModality: Equatable where Value: Equatable {}
extension PerModality: Hashable where Value: Hashable {}
