import Foundation

/// The RR process shared by ECG and PPG: beat times over a segment and its margins.
///
/// Sinus rhythm follows `SegmentConditions.sinusRR` (mean, LF oscillation, RSA) plus a little
/// beat-to-beat jitter; AF draws independent log-normal intervals (no LF/RSA structure).
/// Ectopic beats are inserted after a sinus beat with the subject's burden: a PVC comes at the
/// coupling interval and the next sinus beat is the one after (full compensatory pause); an
/// atrial premature beat resets the sinus node (non-compensatory pause).
enum RRProcess {
    /// Beats with R peaks in [start, end) seconds.
    static func beats(_ p: Physiology, _ c: SegmentConditions, _ rng: inout SynthRandom,
                      start: Double, end: Double) -> [Beat] {
        var beats: [Beat] = []
        beats.reserveCapacity(Int((end - start) / c.rr * 1.5) + 4)
        var t = start + rng.uniform(0, c.rr)
        var last = t - c.rr
        let af = p.ecgClass == .atrialFibrillation
        while t < end {
            beats.append(Beat(time: t, kind: .sinus, rrBefore: t - last))
            last = t
            let rr: Double
            if af {
                rr = max(c.rr * exp(rng.normal(0, p.afIrregularity)), 0.3)
            } else {
                rr = max(c.sinusRR(at: t, p) * (1 + rng.normal(0, 0.006)), 0.33)
            }
            if p.pvcBurden > 0 && rng.bernoulli(p.pvcBurden) {
                let e = t + p.pvcCoupling * rr
                beats.append(Beat(time: e, kind: .ventricular, rrBefore: e - t))
                last = e
                t += 2 * rr
            } else if p.pacBurden > 0 && rng.bernoulli(p.pacBurden) {
                let e = t + rng.uniform(0.65, 0.8) * rr
                beats.append(Beat(time: e, kind: .atrial, rrBefore: e - t))
                last = e
                t = e + rr
            } else {
                t += rr
            }
        }
        return beats.filter { $0.time < end }
    }
}
