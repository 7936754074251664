import Foundation

/// Anti-aliased resampling between arbitrary rates by polyphase filtering, matching
/// `scipy.signal.resample_poly(x, up, down)` (Kaiser-windowed sinc, β = 5, 10 zero crossings
/// per side of the slower rate, zero padding at the ends).
///
/// The rate ratio `to / from` is reduced to `up / down` exactly for whole-number rates whose
/// reduced terms are at most ``maxFactor``, and by continued fractions (both terms ≤
/// ``maxFactor``) otherwise, so the filter never has more than `20·maxFactor + 1` taps.
///
/// NaN handling: NaN samples are bridged by linear interpolation, the bridged signal is
/// resampled, and an output sample is set back to NaN when any input sample in the half-open
/// window (t − T/2, t + T/2] around its time t (T: one output period, at least one input period)
/// was NaN. A NaN run therefore
/// stays a NaN run of the same duration (rounded to the output grid) instead of smearing
/// through the filter over the whole segment.
public enum Resampler {
    /// The largest `up` or `down` factor used.
    public static let maxFactor = 5000

    // MARK: - API

    /// Resamples `x` from `from` Hz to `to` Hz.
    ///
    /// - Parameter x: samples `(n)` at `from` Hz.
    /// - Returns: `ceil(n · up / down)` samples at `to` Hz; the input when the rates are equal,
    ///   with ±infinity turned into NaN there too (every non-finite sample is a gap, at any rate).
    public static func resample(_ x: [Float], from: Double, to: Double) -> [Float] {
        guard SignalMath.isValidRate(from), SignalMath.isValidRate(to), !x.isEmpty else { return x }
        let (up, down) = ratio(from: from, to: to)
        if up == down { return x.contains(where: \.isInfinite) ? x.map { $0.isInfinite ? .nan : $0 } : x }
        let input = x.map(Double.init)
        let outCount = (x.count * up + down - 1) / down
        // Without gaps (the common case) there is nothing to bridge or to mask.
        guard input.contains(where: { !$0.isFinite }) else {
            return polyphase(input, up: up, down: down).map(Float.init)
        }
        guard let filled = SignalMath.fillGaps(input) else {
            return [Float](repeating: .nan, count: outCount)
        }
        let y = polyphase(filled, up: up, down: down)
        let mask = nanMask(input, up: up, down: down, count: outCount)
        return (0..<outCount).map { mask[$0] ? .nan : Float(y[$0]) }
    }

    /// The reduced `(up, down)` pair for resampling `from` Hz to `to` Hz.
    public static func ratio(from: Double, to: Double) -> (up: Int, down: Int) {
        let whole = { (v: Double) in abs(v - v.rounded()) < 1e-9 && v < 1e9 }
        if whole(from) && whole(to) {
            let f = Int(from.rounded()), t = Int(to.rounded())
            let g = gcd(f, t)
            // Exact when both reduced terms fit; otherwise (e.g. 100,003 Hz → 125 Hz) the filter
            // would need 20·max(up, down) taps, so the ratio is approximated like any other.
            if t / g <= maxFactor && f / g <= maxFactor { return (t / g, f / g) }
        }
        // Continued-fraction convergents of to/from, kept while both terms fit.
        var (h0, h1, k0, k1) = (0, 1, 1, 0)
        var value = to / from
        for _ in 0..<32 {
            let a = Int(value.rounded(.down))
            let (h2, k2) = (a * h1 + h0, a * k1 + k0)
            if h2 > maxFactor || k2 > maxFactor { break }
            (h0, h1, k0, k1) = (h1, h2, k1, k2)
            let frac = value - Double(a)
            if frac < 1e-12 { break }
            value = 1 / frac
        }
        return h1 == 0 ? (1, max(1, Int((from / to).rounded()))) : (h1, max(1, k1))
    }

    /// The anti-aliasing low-pass scipy's `resample_poly` uses, scaled by `up` `(20·max(up, down) + 1)`.
    public static func lowpass(up: Int, down: Int) -> [Double] {
        let maxRate = max(up, down)
        let cutoff = 1 / Double(maxRate)              // relative to Nyquist
        let half = 10 * maxRate
        let taps = 2 * half + 1
        let beta = 5.0
        let i0beta = besselI0(beta)
        var h = (0..<taps).map { i -> Double in
            let m = Double(i - half)
            let x = cutoff * m
            let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
            let r = 2 * Double(i) / Double(taps - 1) - 1
            let window = besselI0(beta * max(0, 1 - r * r).squareRoot()) / i0beta
            return cutoff * sinc * window
        }
        let sum = h.reduce(0, +)
        h = h.map { $0 / sum * Double(up) }
        return h
    }

    // MARK: - Internal API

    /// Polyphase up-filter-down with scipy's alignment: output m sits at input time m·down/up.
    ///
    /// Output m needs `Σ_k x[k]·h[t − k·up]`, `t = m·down + half`. Writing `t = q·up + p`, the
    /// taps used are phase p's sub-filter `h[p + j·up]` at `j = q − k`; each sub-filter is stored
    /// reversed, so the sum is a contiguous dot product of x with that reversed sub-filter.
    static func polyphase(_ x: [Double], up: Int, down: Int) -> [Double] {
        let h = lowpass(up: up, down: down)
        let half = (h.count - 1) / 2
        // phases[p] = h[p], h[p + up], h[p + 2·up], … reversed; lengths[p] its tap count.
        let lengths = (0..<up).map { p in p < h.count ? (h.count - p + up - 1) / up : 0 }
        let phases: [[Double]] = (0..<up).map { p in
            (0..<lengths[p]).map { i in h[p + (lengths[p] - 1 - i) * up] }
        }
        let n = x.count
        let outCount = (n * up + down - 1) / down
        var y = [Double](repeating: 0, count: outCount)
        x.withUnsafeBufferPointer { xp in
            for m in 0..<outCount {
                let t = m * down + half
                let q = t / up, p = t % up
                let len = lengths[p]
                // k = q − j for j in 0..<len, clamped to the input.
                let kLo = max(0, q - len + 1), kHi = min(n - 1, q)
                guard kLo <= kHi else { continue }
                // phases[p][i] = h[p + (len − 1 − i)·up] pairs with k = q − (len − 1 − i).
                let offset = kLo - (q - len + 1)
                y[m] = phases[p].withUnsafeBufferPointer { g in
                    dot(xp.baseAddress! + kLo, g.baseAddress! + offset, kHi - kLo + 1)
                }
            }
        }
        return y
    }

    /// `Σ a[i]·b[i]` over `count` elements with four accumulators (independent add chains).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        while i < count { s0 += a[i] * b[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// True for each output sample whose neighbourhood in the input held a NaN.
    static func nanMask(_ x: [Double], up: Int, down: Int, count: Int) -> [Bool] {
        let n = x.count
        var prefix = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + (x[i].isFinite ? 0 : 1) }
        guard prefix[n] > 0 else { return [Bool](repeating: false, count: count) }
        let step = Double(down) / Double(up)          // input samples per output sample
        let reach = max(0.5, step / 2)
        return (0..<count).map { m in
            // The input samples in (p − reach, p + reach], p = m·down/up: one output period,
            // or the nearest input sample when up-sampling.
            let p = Double(m * down) / Double(up)
            let lo = max(0, Int((p - reach).rounded(.down)) + 1)
            let hi = min(n - 1, Int((p + reach).rounded(.down)))
            return lo <= hi && prefix[hi + 1] - prefix[lo] > 0
        }
    }

    /// The modified Bessel function of the first kind, order 0 (power series).
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0
        let q = x * x / 4
        var k = 1.0
        while term > 1e-17 * sum {
            term *= q / (k * k)
            sum += term
            k += 1
        }
        return sum
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
