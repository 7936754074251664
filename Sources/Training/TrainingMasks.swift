import Model
import Support

/// Training visibility masks (reference/train.py `training_masks`): one set S of ⌊r·T⌋
/// positions is drawn per batch; then per segment, with probability `pDrop` one whole modality
/// (ECG or PPG, 50/50) is dropped and the other is fully visible, otherwise the ECG is hidden at
/// S and the PPG at the complement.
///
/// Why S is shared by the batch: the contrastive loss compares the ECG-only and PPG-only
/// fingerprints of the masked views. With a set per segment, a fingerprint carries its view's
/// position set (through the position embeddings), and complementary sets identify the pair
/// without looking at the signals: in-batch top-1 reached 90 % while retrieval between fully
/// visible views stayed at chance. With one S per batch every view of a modality has the same
/// positions, so only the signals can tell segments apart.
public enum TrainingMasks {
    /// Masks for B segments of T patches, drawn from `rng`.
    public static func draw(segments B: Int, patches T: Int, hyperparameters h: Hyperparameters,
                            using rng: inout SplitMix64) -> Visibility {
        let k = Int((h.maskRatio * Double(T)).rounded(.down))
        var ecg = [Bool](repeating: true, count: B * T)
        var ppg = [Bool](repeating: true, count: B * T)
        let hidden = Array(0..<T).shuffled(using: &rng).prefix(k)
        for b in 0..<B {
            let drop = Double.random(in: 0..<1, using: &rng) < h.pDrop
            let which = Double.random(in: 0..<1, using: &rng) < 0.5
            let row = (b * T)..<((b + 1) * T)
            if drop {
                if which { ecg.replaceSubrange(row, with: repeatElement(false, count: T)) }
                else { ppg.replaceSubrange(row, with: repeatElement(false, count: T)) }
            } else {
                for t in hidden { ecg[b * T + t] = false }
                for t in 0..<T { ppg[b * T + t] = !ecg[b * T + t] }
            }
        }
        return Visibility(segments: B, patches: T, ecg: ecg, ppg: ppg)
    }
}
