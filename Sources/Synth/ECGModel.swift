import Foundation

/// ECGSYN (McSharry et al., IEEE TBME 2003) on the shared RR process.
///
/// ECGSYN moves a point round a unit circle at angular speed ω = 2π/RR; its height follows
/// `dz/dt = −Σᵢ aᵢ Δθᵢ exp(−Δθᵢ²/2bᵢ²) − (z − z₀)`, one Gaussian event per wave i ∈ {P, Q, R,
/// S, T}, with z₀ the respiratory baseline. With ω constant over a beat Δθ = ω·Δt, so choosing
/// `aᵢ = Aᵢ·ω/bᵢ²` makes the forcing the time derivative of `Gᵢ(t) = Aᵢ exp(−Δtᵢ²/2σᵢ²)` (σᵢ =
/// bᵢ/ω): A is the wave's amplitude in mV and σ its width in seconds. Integrated exactly over
/// one sample step h, the ODE becomes `z[n+1] = z₀[n+1] + e^{−h}(z[n] − z₀[n]) + G[n+1] − G[n]`,
/// which is what `render` does (at the output rate, after a 2-s warm-up). Wave times come from
/// the beat (QT scales with √RR, Bazett) and the subject's class (wide QRS and R′ in BBB, Q
/// waves and ST shift in MI, no P and f-waves in AF, wide discordant ventricular beats).
enum ECGModel {
    /// Seconds simulated before the segment so the ODE has forgotten its initial state.
    static let warmUp = 2.0

    /// Renders the ECG (mV) on `count` samples at `rate` Hz from t = 0.
    static func render(_ beats: [Beat], _ p: Physiology, _ c: SegmentConditions, _ rng: inout SynthRandom,
                       count: Int, rate: Double) -> [Float] {
        let skip = Int(warmUp * rate)
        let total = count + skip
        let t0 = -warmUp
        var g = [Double](repeating: 0, count: total)
        for b in beats { addBeat(&g, b, p, c, t0: t0, rate: rate) }

        // Exact one-step integration of the ECGSYN z equation (relaxation rate 1/s).
        let decay = exp(-1 / rate)
        var out = [Float](repeating: 0, count: count)
        let resp = c.respiration.trace(from: t0, count: total, rate: rate)
        var z0Prev = p.ecgRespBaseline * resp[0]
        var z = z0Prev + g[0]
        let noise = p.ecgNoise * c.noiseScale
        let (phi1, phi2) = c.fWavePhases
        for i in 1..<total {
            let t = t0 + Double(i) / rate
            let z0 = p.ecgRespBaseline * resp[i]
            z = z0 + decay * (z - z0Prev) + g[i] - g[i - 1]
            z0Prev = z0
            guard i >= skip else { continue }
            var v = z + noise * rng.normal()
            if p.fWaveAmplitude > 0 {
                let f = p.fWaveFrequency
                v += p.fWaveAmplitude * (1 + 0.3 * sin(2 * .pi * 0.4 * t + phi2))
                    * (sin(2 * .pi * f * t + phi1 + 0.6 * sin(2 * .pi * 0.7 * t)) + 0.35 * sin(2 * .pi * 1.9 * f * t + phi2))
            }
            out[i - skip] = Float(v)
        }
        return out
    }

    /// Adds one beat's waves to G.
    private static func addBeat(_ g: inout [Double], _ b: Beat, _ p: Physiology, _ c: SegmentConditions,
                                t0: Double, rate: Double) {
        let r = b.time
        let am = c.ecgGain * (1 + p.ecgRespModulation * c.respiration.value(at: r))
        let qt = p.qtc * min(max(b.rrBefore, 0.3), 2).squareRoot()
        if b.kind == .ventricular {
            // Wide bizarre complex without P, its T wave opposite to the main deflection.
            let a = p.pvcAmplitude * am
            _Wave.add(&g, t0: t0, rate: rate, centre: r, sigma: p.pvcWidth, amplitude: a)
            _Wave.add(&g, t0: t0, rate: rate, centre: r + 2.5 * p.pvcWidth, sigma: p.pvcWidth, amplitude: -0.3 * a)
            _Wave.add(&g, t0: t0, rate: rate, centre: r - 0.03 + 1.1 * qt - 2.5 * 0.07, sigma: 0.07, amplitude: -0.35 * a)
            return
        }
        if p.pAmplitude > 0 {
            let atrial = b.kind == .atrial
            _Wave.add(&g, t0: t0, rate: rate, centre: r - p.prInterval * (atrial ? 0.85 : 1), sigma: p.pWidth,
                      amplitude: p.pAmplitude * am * (atrial ? -0.6 : 1))
        }
        let qCentre = r - 2.2 * p.rWidth - p.qWidth
        _Wave.add(&g, t0: t0, rate: rate, centre: qCentre, sigma: p.qWidth, amplitude: p.qAmplitude * am)
        _Wave.add(&g, t0: t0, rate: rate, centre: r, sigma: p.rWidth, amplitude: p.rAmplitude * am)
        let sCentre = r + 2 * p.rWidth + 1.5 * p.sWidth + p.rPrimeDelay * 0.4
        _Wave.add(&g, t0: t0, rate: rate, centre: sCentre, sigma: p.sWidth, amplitude: p.sAmplitude * am)
        if p.rPrimeAmplitude > 0 {
            _Wave.add(&g, t0: t0, rate: rate, centre: r + p.rPrimeDelay + p.rWidth, sigma: p.rWidth * 0.9,
                      amplitude: p.rPrimeAmplitude * am)
        }
        let qOnset = qCentre - 2 * p.qWidth
        let tCentre = qOnset + qt - 2.5 * p.tWidth
        if p.stShift != 0 {
            let stCentre = (sCentre + tCentre) / 2
            _Wave.add(&g, t0: t0, rate: rate, centre: stCentre, sigma: max((tCentre - sCentre) / 3, 0.02), amplitude: p.stShift * am)
        }
        _Wave.add(&g, t0: t0, rate: rate, centre: tCentre, sigmaBefore: p.tWidth * 1.2, sigmaAfter: p.tWidth * 0.85,
                  amplitude: p.tAmplitude * am)
    }
}
