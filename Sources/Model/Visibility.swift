import Signals
import Support

/// Which patches of each modality a forward pass sees: two (B, T) boolean masks, row-major.
/// A modality that is absent from a segment has no visible patch there; its decoder then
/// reconstructs it entirely from the other modality (cross-modal reconstruction).
public struct Visibility: Sendable, Equatable {
    /// Segments.
    public let segments: Int
    /// Patches per modality per segment.
    public let patches: Int
    /// (B, T) ECG and PPG visibility.
    public var ecg: [Bool]
    public var ppg: [Bool]

    /// Masks of the given values (each B·T long).
    public init(segments: Int, patches: Int, ecg: [Bool], ppg: [Bool]) {
        precondition(ecg.count == segments * patches && ppg.count == segments * patches,
                     "visibility masks must be B·T long")
        self.segments = segments; self.patches = patches; self.ecg = ecg; self.ppg = ppg
    }

    /// Every patch of the present modalities visible (a fingerprint mode, or PPG → ECG with
    /// `ecg: false`).
    public static func full(segments: Int, patches: Int, ecg: Bool = true, ppg: Bool = true) -> Visibility {
        Visibility(segments: segments, patches: patches,
                   ecg: [Bool](repeating: ecg, count: segments * patches),
                   ppg: [Bool](repeating: ppg, count: segments * patches))
    }

    /// Complementary masks (docs/model.md, "Training objective"): per segment ⌊ratio·T⌋
    /// random positions hide the ECG and the others hide the PPG, so each slot is seen in
    /// exactly one modality.
    public static func complementary(segments: Int, patches: Int, ratio: Double = 0.5,
                                     using rng: inout SplitMix64) -> Visibility {
        let k = Int((ratio * Double(patches)).rounded(.down))
        var ecg = [Bool](repeating: true, count: segments * patches)
        for b in 0..<segments {
            for t in Array(0..<patches).shuffled(using: &rng).prefix(k) { ecg[b * patches + t] = false }
        }
        return Visibility(segments: segments, patches: patches, ecg: ecg, ppg: ecg.map { !$0 })
    }

    /// The mask of one modality.
    public func mask(_ m: Modality) -> [Bool] { m == .ecg ? ecg : ppg }
}
