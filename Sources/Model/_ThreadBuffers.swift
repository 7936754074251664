/// A batch's ECG and PPG, read (never written) by several threads.
package struct ReadOnlyInput: @unchecked Sendable {
    package let ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>
    package init(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>) { self.ecg = ecg; self.ppg = ppg }
}

/// Output rows that several threads write, each its own disjoint rows.
package struct SharedRows: @unchecked Sendable {
    package let pointer: UnsafeMutablePointer<Float>
    package init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
