import Foundation

/// Zero-phase Butterworth filtering: bilinear-transform design in second-order sections, run
/// forward and backward with odd-extension padding and steady-state initial conditions, the way
/// `scipy.signal.butter(..., output='sos')` + `scipy.signal.sosfiltfilt` do.
///
/// NaN samples are bridged by linear interpolation before filtering and put back as NaN after,
/// so a gap never spreads over the whole segment.
public enum Filters {
    // MARK: - API

    /// Zero-phase Butterworth band-pass between `low` and `high` Hz.
    ///
    /// `order` is the order of the low-pass prototype (scipy's `N`): the band-pass has `order`
    /// second-order sections, and running it forward and backward doubles its attenuation.
    /// A `low` ≤ 0 gives a low-pass, a `high` at or above Nyquist a high-pass, both the input.
    ///
    /// - Parameters:
    ///   - x: samples `(n)`; non-finite samples (NaN, ±inf) come back NaN.
    ///   - rate: sampling rate in Hz.
    /// - Returns: the filtered samples `(n)`.
    public static func bandpass(_ x: [Float], rate: Double, low: Double, high: Double, order: Int = 2) -> [Float] {
        let sections = butterworth(rate: rate, low: low, high: high, order: order)
        let input = x.map(Double.init)
        guard !sections.isEmpty else { return x }
        guard let filled = SignalMath.fillGaps(input) else { return [Float](repeating: .nan, count: x.count) }
        let y = filtfilt(sections, filled)
        // Overshoot near Float's limit saturates instead of becoming ±inf.
        let top = Double(Float.greatestFiniteMagnitude)
        return (0..<x.count).map { input[$0].isFinite ? Float(min(max(y[$0], -top), top)) : .nan }
    }

    /// The second-order sections of the Butterworth design, one row `[b0, b1, b2, 1, a1, a2]` per
    /// section (scipy's `sos` layout); empty when the band covers everything.
    ///
    /// Frequencies are clamped to (0, Nyquist); see ``bandpass(_:rate:low:high:order:)``.
    public static func butterworth(rate: Double, low: Double, high: Double, order: Int) -> [[Double]] {
        let nyquist = rate / 2
        let hasLow = low > 0 && low < nyquist
        let hasHigh = high > 0 && high < nyquist && (!hasLow || high > low)
        guard order >= 1, order <= 32, SignalMath.isValidRate(rate), hasLow || hasHigh else { return [] }
        // Pre-warp the band edges (scipy normalises to fs = 2, so 2·fs = 4).
        let warp = { (f: Double) in 4 * tan(Double.pi * f / rate) }
        // Analog low-pass prototype: poles on the left unit half-circle, no zeros, gain 1.
        let n = order
        let proto = stride(from: -n + 1, through: n - 1, by: 2).map { m in
            -Complex.polar(1, Double.pi * Double(m) / Double(2 * n))
        }
        var zeros: [Complex] = []
        var poles: [Complex] = []
        var gain = 1.0
        if hasLow && hasHigh {               // lp2bp
            let wl = warp(low), wh = warp(high)
            let bw = wh - wl, w0 = (wl * wh).squareRoot()
            for p in proto {
                let pl = p * (bw / 2)
                let root = (pl * pl - Complex(w0 * w0)).squareRoot
                poles.append(pl + root)
                poles.append(pl - root)
            }
            zeros = Array(repeating: Complex(0), count: n)
            gain = pow(bw, Double(n))
        } else if hasHigh {                  // lp2lp
            let w0 = warp(high)
            poles = proto.map { $0 * w0 }
            gain = pow(w0, Double(n))
        } else {                             // lp2hp
            let w0 = warp(low)
            poles = proto.map { Complex(w0) / $0 }
            zeros = Array(repeating: Complex(0), count: n)
            gain = (Complex(1) / proto.reduce(Complex(1)) { $0 * -$1 }).re
        }
        // Bilinear transform with fs2 = 4; zeros at infinity map to z = −1.
        let fs2 = Complex(4)
        let num = zeros.reduce(Complex(1)) { $0 * (fs2 - $1) }
        let den = poles.reduce(Complex(1)) { $0 * (fs2 - $1) }
        gain *= (num / den).re
        var zz = zeros.map { (fs2 + $0) / (fs2 - $0) }
        let pz = poles.map { (fs2 + $0) / (fs2 - $0) }
        zz += Array(repeating: Complex(-1), count: pz.count - zz.count)
        return sections(zeros: zz, poles: pz, gain: gain)
    }

    // MARK: - Internal API

    /// Groups digital zeros and poles into second-order sections `[b0, b1, b2, 1, a1, a2]`.
    static func sections(zeros: [Complex], poles: [Complex], gain: Double) -> [[Double]] {
        let poleGroups = pairUp(poles)
        let zeroGroups = pairUp(zeros)
        var result: [[Double]] = []
        for (i, pg) in poleGroups.enumerated() {
            let zg = i < zeroGroups.count ? zeroGroups[i] : []
            var b = polynomial(zg)
            let a = polynomial(pg)
            if i == 0 { b = b.map { $0 * gain } }
            result.append([b[0], b[1], b[2], 1, a[1], a[2]])
        }
        return result
    }

    /// Splits roots into conjugate pairs and pairs of real roots (one single real root last).
    static func pairUp(_ roots: [Complex]) -> [[Complex]] {
        let tol = 1e-10
        let complexRoots = roots.filter { $0.im > tol }.sorted { $0.magnitudeSquared < $1.magnitudeSquared }
        var reals = roots.filter { abs($0.im) <= tol }.map { Complex($0.re) }.sorted { $0.re < $1.re }
        var groups = complexRoots.map { [$0, $0.conjugate] }
        // Pair the smallest real with the largest one (for band-passes: z = −1 with z = +1).
        while reals.count >= 2 {
            groups.append([reals.removeFirst(), reals.removeLast()])
        }
        if let last = reals.first { groups.append([last]) }
        return groups
    }

    /// Coefficients `[1, c1, c2]` of the monic polynomial with the given (≤ 2, conjugate) roots.
    static func polynomial(_ roots: [Complex]) -> [Double] {
        switch roots.count {
        case 0: return [1, 0, 0]
        case 1: return [1, -roots[0].re, 0]
        default:
            let s = roots[0] + roots[1], p = roots[0] * roots[1]
            return [1, -s.re, p.re]
        }
    }

    /// Steady-state initial conditions `(sections, 2)` for a unit step (scipy's `sosfilt_zi`).
    static func steadyState(_ sos: [[Double]]) -> [[Double]] {
        var scale = 1.0
        return sos.map { s in
            let (b0, b1, b2, a1, a2) = (s[0], s[1], s[2], s[4], s[5])
            // Solve (I − Aᵀ) zi = b[1:] − a[1:]·b0 for the transposed direct form II state.
            let r0 = b1 - a1 * b0, r1 = b2 - a2 * b0
            // [[1 + a1, −1], [a2, 1]] · zi = [r0, r1]
            let det = (1 + a1) + a2
            let z0 = (r0 + r1) / det
            let z1 = r1 - a2 * z0
            let zi = [z0 * scale, z1 * scale]
            scale *= (b0 + b1 + b2) / (1 + a1 + a2)
            return zi
        }
    }

    /// Runs the cascade over `x` in place from initial states `state` (transposed direct form II).
    ///
    /// All sections advance together sample by sample, so their recursions (each a serial
    /// dependency chain) overlap in the CPU instead of running one after another.
    static func run(_ sos: [[Double]], _ x: inout [Double], state: [[Double]]) {
        let k = sos.count
        // coefficients (k, 5) = b0 b1 b2 a1 a2 per section; states (k, 2) = z0 z1 per section.
        var coefficients = sos.flatMap { [$0[0], $0[1], $0[2], $0[4], $0[5]] }
        var states = state.flatMap { [$0[0], $0[1]] }
        coefficients.withUnsafeMutableBufferPointer { c in
            states.withUnsafeMutableBufferPointer { z in
                x.withUnsafeMutableBufferPointer { xp in
                    for i in 0..<xp.count {
                        var v = xp[i]
                        for s in 0..<k {
                            let cs = 5 * s, zs = 2 * s
                            let y = c[cs] * v + z[zs]
                            z[zs] = c[cs + 1] * v - c[cs + 3] * y + z[zs + 1]
                            z[zs + 1] = c[cs + 2] * v - c[cs + 4] * y
                            v = y
                        }
                        xp[i] = v
                    }
                }
            }
        }
    }

    /// Forward-backward filtering with odd-extension padding (scipy's `sosfiltfilt` defaults;
    /// the pad is shortened to `n − 1` samples for inputs too short for scipy's default).
    static func filtfilt(_ sos: [[Double]], _ x: [Double]) -> [Double] {
        let n = x.count
        guard n > 1 else { return x }
        let zerosB2 = sos.filter { $0[2] == 0 }.count, zerosA2 = sos.filter { $0[5] == 0 }.count
        let taps = 2 * sos.count + 1 - min(zerosB2, zerosA2)
        let pad = min(3 * taps, n - 1)
        var ext = [Double]()
        ext.reserveCapacity(n + 2 * pad)
        for i in stride(from: pad, through: 1, by: -1) { ext.append(2 * x[0] - x[i]) }
        ext += x
        for i in stride(from: n - 2, through: n - 1 - pad, by: -1) { ext.append(2 * x[n - 1] - x[i]) }
        let zi = steadyState(sos)
        let first = ext[0]
        run(sos, &ext, state: zi.map { $0.map { $0 * first } })
        ext.reverse()
        let last = ext[0]
        run(sos, &ext, state: zi.map { $0.map { $0 * last } })
        ext.reverse()
        return Array(ext[pad..<(pad + n)])
    }
}
