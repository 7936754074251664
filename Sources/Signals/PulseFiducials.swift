/// The fiducial points of the pulses in a PPG recording.
///
/// `onsets[i]` is the foot of the pulse whose systolic peak is `peaks[i]`; both are sample
/// indices, ascending, and the two arrays always have the same length.
public struct PulseFiducials: Sendable, Equatable, Codable {
    /// Systolic peak of each pulse (sample index).
    public var peaks: [Int]
    /// Onset (foot) of each pulse by the intersecting-tangents method (sample index).
    public var onsets: [Int]

    /// Creates fiducials from aligned peak and onset indices.
    public init(peaks: [Int], onsets: [Int]) {
        precondition(peaks.count == onsets.count, "PulseFiducials: \(peaks.count) peaks but \(onsets.count) onsets")
        self.peaks = peaks
        self.onsets = onsets
    }

    /// No pulses.
    public static let empty = PulseFiducials(peaks: [], onsets: [])

    /// Which point of a pulse a measurement refers to.
    public enum Point: String, Sendable, CaseIterable, Codable {
        /// The systolic peak.
        case peak
        /// The foot (onset).
        case onset
    }

    /// The indices of the chosen point of every pulse.
    public func indices(_ point: Point) -> [Int] { point == .peak ? peaks : onsets }
}
