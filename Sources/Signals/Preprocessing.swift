import Foundation

/// The model's input preparation (docs/model.md, "Input"): NaNs bridged, zero-phase band-pass
/// (ECG 0.5–40 Hz, PPG 0.5–8 Hz, Butterworth order 2 forward-backward), then z-score.
public enum Preprocessing {
    /// Below this ratio of filtered standard deviation to the input's largest magnitude a
    /// segment counts as flat and is returned as zeros (never NaN or inf).
    public static let flatRatio = 1e-7

    // MARK: - API

    /// The band-pass edges in Hz used for `modality`.
    public static func band(for modality: Modality) -> (low: Double, high: Double) {
        switch modality {
        case .ecg: (0.5, 40)
        case .ppg: (0.5, 8)
        }
    }

    /// Prepares one modality of one segment for the model.
    ///
    /// NaN samples are filled by linear interpolation (edges hold the nearest finite value)
    /// before filtering, so the output is finite everywhere; an all-NaN or flat input gives zeros.
    ///
    /// - Parameters:
    ///   - x: samples `(n)`, any physical unit.
    ///   - rate: sampling rate in Hz (125 for model input).
    /// - Returns: the band-passed, z-scored samples `(n)`: mean 0, standard deviation 1.
    public static func prepare(_ x: [Float], modality: Modality, rate: Double = 125) -> [Float] {
        let zeros = [Float](repeating: 0, count: x.count)
        guard let filled = SignalMath.fillGaps(x.map(Double.init)) else { return zeros }
        let (low, high) = band(for: modality)
        let sections = Filters.butterworth(rate: rate, low: low, high: high, order: 2)
        let y = sections.isEmpty ? filled : Filters.filtfilt(sections, filled)
        let m = SignalMath.mean(y), s = SignalMath.std(y)
        let scale = filled.reduce(0) { max($0, abs($1)) }
        guard s.isFinite, s > 0, s > flatRatio * scale else { return zeros }
        return y.map { Float(($0 - m) / s) }
    }
}
