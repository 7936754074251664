import Store

/// One generated segment with the ground truth behind it (for tests and analyses; only
/// `segment` is stored).
public struct SynthSegment: Sendable {
    public var segment: Segment
    /// R-peak times (s from the segment start) of the beats inside the segment, with their kinds.
    public var beats: [Beat]
    /// Pulse arrival time (s) of each of those beats.
    public var arrivalTimes: [Double]
    /// Systolic pressure of this segment, mmHg.
    public var systolic: Double
    /// Injected defects (empty for a clean segment).
    public var defects: [Defect]
}
