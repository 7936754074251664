import Foundation

/// The finger PPG: one pulse per beat, arriving `PAT = PEP + PTT` after its R peak.
///
/// Pulse transit time is `PTT = L / PWV` with PWV rising exponentially with systolic pressure
/// (`PWV = PWV₁₂₀·e^{0.010·(SBP−120)}`, the Moens–Korteweg/Hughes relation), so PAT falls as
/// pressure rises; pressure swings a little with breathing and from beat to beat. Each pulse
/// is a forward wave (asymmetric Gaussian: rise to the systolic peak, slower fall), a
/// reflected wave returning `2·d/PWV` after the systolic peak (earlier in stiff, old or
/// hypertensive arteries, where it also grows and merges into systole), and a dicrotic wave
/// after valve closure whose size, hence the notch before it, shrinks with age. Pulse size
/// follows the filling time (preceding RR, so AF pulses vary and ectopic beats give a pulse
/// deficit) and breathing; the baseline moves with breathing and slow vasomotion.
enum PPGModel {
    /// Rendered PPG samples and the pulse-arrival facts behind them.
    struct Output {
        var samples: [Float]
        /// Pulse onset (foot) times, s, of the pulses whose beat lies in the segment.
        var onsets: [Double]
        /// Pulse arrival time of each of those beats, s.
        var arrivalTimes: [Double]
    }

    /// Renders the PPG (arbitrary units) on `count` samples at `rate` Hz from t = 0.
    static func render(_ beats: [Beat], _ p: Physiology, _ c: SegmentConditions, _ rng: inout SynthRandom,
                       count: Int, rate: Double) -> Output {
        var x = [Double](repeating: 0, count: count)
        var onsets: [Double] = [], arrivals: [Double] = []
        var previousKind = Beat.Kind.sinus
        let duration = Double(count) / rate
        for b in beats {
            defer { previousKind = b.kind }
            let sbp = c.systolic - 3 * c.respiration.value(at: b.time) + rng.normal(0, 1.5)
            let pwv = p.pwvReference * exp(0.010 * (sbp - 120))
            let pep = p.pep + (b.kind == .ventricular ? 0.03 : 0)
            let pat = pep + p.pathLength / pwv
            let onset = b.time + pat
            if b.time >= 0 && b.time < duration { onsets.append(onset); arrivals.append(pat) }
            guard onset > -1, onset < duration + 0.1 else { continue }

            var amp = p.ppgGain * min(max(pow(b.rrBefore / c.rr, 0.7), 0.2), 1.6)
                * (1 + p.ppgRespModulation * c.respiration.value(at: b.time))
            if b.kind != .sinus { amp *= p.ectopicPulseRatio }
            if previousKind != .sinus && b.kind == .sinus { amp *= 1.15 }   // post-extrasystolic potentiation
            let peak = onset + p.riseTime
            _Wave.add(&x, t0: 0, rate: rate, centre: peak, sigmaBefore: p.riseTime / 2.5, sigmaAfter: p.fallWidth, amplitude: amp)
            _Wave.add(&x, t0: 0, rate: rate, centre: peak + 2 * p.reflectionDistance / pwv, sigma: 0.055,
                      amplitude: amp * p.reflectionRatio)
            _Wave.add(&x, t0: 0, rate: rate, centre: peak + p.dicroticDelay, sigma: 0.045, amplitude: amp * p.dicroticRatio)
            // Diastolic run-off: the slow emptying of the arterial tree after the notch.
            _Wave.add(&x, t0: 0, rate: rate, centre: peak + p.dicroticDelay, sigmaBefore: 0.1, sigmaAfter: 0.25,
                      amplitude: amp * 0.22)
        }
        var out = [Float](repeating: 0, count: count)
        let noise = p.ppgNoise * p.ppgGain * c.noiseScale
        // Breathing leads the PPG baseline by 0.5 s; vasomotion (0.05 Hz) is advanced by rotation.
        let resp = c.respiration.trace(from: 0.5, count: count, rate: rate)
        let step = 2 * Double.pi * 0.05 / rate
        let cd = cos(step), sd = sin(step)
        var vs = sin(c.vasomotorPhase), vc = cos(c.vasomotorPhase)
        for i in 0..<count {
            let baseline = p.ppgOffset + p.ppgGain * (p.ppgRespBaseline * resp[i] + 0.05 * vs)
            out[i] = Float(x[i] + baseline + noise * rng.normal())
            (vs, vc) = (vs * cd + vc * sd, vc * cd - vs * sd)
        }
        return Output(samples: out, onsets: onsets, arrivalTimes: arrivals)
    }
}
