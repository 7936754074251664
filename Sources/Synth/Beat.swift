/// One heartbeat of a synthetic segment: when its R peak falls, what kind it is, and the RR
/// interval that preceded it (which sets its QT and its pulse's filling).
public struct Beat: Sendable, Hashable {
    /// How the beat arose.
    public enum Kind: UInt8, Sendable, Hashable {
        /// Sinus node (or, in AF, a conducted irregular beat).
        case sinus
        /// Premature ventricular beat: wide, no P wave, weak pulse, compensatory pause.
        case ventricular
        /// Premature atrial beat: early, abnormal P, normal QRS, reduced pulse.
        case atrial
    }
    /// R-peak time, s from the segment start (negative before it).
    public var time: Double
    public var kind: Kind
    /// Interval from the previous beat, s.
    public var rrBefore: Double
}
