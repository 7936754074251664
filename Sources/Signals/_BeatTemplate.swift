import Foundation

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
        let beats = anchors.filter { $0 - before >= 0 && $0 + after < x.count }
            .map { Array(x[($0 - before)...($0 + after)]) }
        guard !beats.isEmpty, before >= 0, after >= 0 else { return nil }
        let width = before + after + 1
        self.before = before
        self.samples = (0..<width).map { i in SignalMath.median(beats.map { $0[i] }) }
        let template = samples
        self.correlations = beats.map { Self.correlation($0, template) }
    }

    /// Median correlation of the beats with the median beat (1 for a single beat).
    var consistency: Double { correlations.count < 2 ? 1 : SignalMath.median(correlations) }

    /// Pearson correlation of two equal-length arrays (0 when either is constant).
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = SignalMath.mean(a), mb = SignalMath.mean(b)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in a.indices {
            let da = a[i] - ma, db = b[i] - mb
            sab += da * db; saa += da * da; sbb += db * db
        }
        return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
    }
}
