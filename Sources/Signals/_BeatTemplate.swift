import Foundation
import Support

/// The median beat of a recording: beats cut at fixed offsets around an anchor (R-peak or
/// pulse foot), averaged sample by sample with the median (robust to an odd ectopic or
/// artefact beat), and each beat's correlation with that median.
struct BeatTemplate {
    /// The median beat `(before + after + 1)`; index `before` is the anchor.
    var samples: [Double]
    /// Samples before the anchor.
    var before: Int
    /// Pearson correlation of each beat used with the median beat `(beats)`.
    var correlations: [Double]

    /// Cuts `[a − before, a + after]` around every anchor that fits in `x`.
    ///
    /// - Returns: nil when no anchor has its whole window inside the signal.
    init?(_ x: [Double], anchors: [Int], before: Int, after: Int) {
        guard before >= 0, after >= 0 else { return nil }
        let beats = anchors.filter { $0 - before >= 0 && $0 + after < x.count }
            .map { Array(x[($0 - before)...($0 + after)]) }
        guard !beats.isEmpty else { return nil }
        let width = before + after + 1
        self.before = before
        self.samples = (0..<width).map { i in SignalMath.median(beats.map { $0[i] }) }
        let template = samples
        // A flat beat (or a flat template) is uncorrelated with the shape: r counts as 0.
        self.correlations = beats.map { pearson($0, template) ?? 0 }
    }

    /// Median correlation of the beats with the median beat (1 for a single beat).
    var consistency: Double { correlations.count < 2 ? 1 : SignalMath.median(correlations) }
}
