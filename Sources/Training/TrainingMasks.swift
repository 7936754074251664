import Model

/// Training visibility masks (reference/train.py `training_masks`): per segment, with
/// probability `pDrop` one whole modality (ECG or PPG, 50/50) is dropped and the other is fully
/// visible; otherwise ⌊r·T⌋ random positions hide the ECG and the rest hide the PPG.
public enum TrainingMasks {
    /// Masks for B segments of T patches, drawn from `rng`.
    public static func draw(segments B: Int, patches T: Int, hyperparameters h: Hyperparameters,
                            using rng: inout SeededGenerator) -> Visibility {
        let k = Int((h.maskRatio * Double(T)).rounded(.down))
        var ecg = [Bool](repeating: true, count: B * T)
        var ppg = [Bool](repeating: true, count: B * T)
        for b in 0..<B {
            let drop = Double.random(in: 0..<1, using: &rng) < h.pDrop
            let which = Double.random(in: 0..<1, using: &rng) < 0.5
            let row = (b * T)..<((b + 1) * T)
            if drop {
                if which { ecg.replaceSubrange(row, with: repeatElement(false, count: T)) }
                else { ppg.replaceSubrange(row, with: repeatElement(false, count: T)) }
            } else {
                for t in Array(0..<T).shuffled(using: &rng).prefix(k) { ecg[b * T + t] = false }
                for t in 0..<T { ppg[b * T + t] = !ecg[b * T + t] }
            }
        }
        return Visibility(segments: B, patches: T, ecg: ecg, ppg: ppg)
    }
}
