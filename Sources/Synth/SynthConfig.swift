/// Knobs of the synthetic cohort generator (docs/synth.md, "Parameters").
public struct SynthConfig: Sendable, Hashable, Codable {
    /// Share of segments that carry one recording defect (motion artefact, baseline wander,
    /// clipping or missing samples), in [0, 1].
    public var defectRate: Double
    /// Prior weights of the five ECG classes (NSR, AF, PVC, MI, BBB) at age 60; the generator
    /// tilts them with age and sex (AF and MI grow with age, MI is commoner in men).
    public var ecgClassWeights: [Double]
    /// Share of subjects without AF or PVC who have premature atrial beats: their PPG class is
    /// "ectopic" while their ECG class stays what it is.
    public var atrialEctopyRate: Double
    /// Seconds between the starts of consecutive segments of one subject's record (a segment
    /// starts somewhere in the first 2/3 of its slot).
    public var segmentSpacing: Double

    /// The documented defaults.
    public init(defectRate: Double = 0.1, ecgClassWeights: [Double] = [0.46, 0.15, 0.13, 0.13, 0.13],
                atrialEctopyRate: Double = 0.15, segmentSpacing: Double = 60) {
        self.defectRate = defectRate; self.ecgClassWeights = ecgClassWeights
        self.atrialEctopyRate = atrialEctopyRate; self.segmentSpacing = segmentSpacing
    }
}
