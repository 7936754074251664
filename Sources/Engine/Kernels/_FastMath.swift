// MARK: - Branch-free exp and tanh that the loop vectoriser can widen
//
// libm's expf/tanhf are opaque calls (15–120 ns each on the project machine), so every
// elementwise loop through them stays scalar. These are pure arithmetic on bit patterns
// (Cephes' expf: range reduction by ln 2 and a degree-5 polynomial; relative error ≈ 2 ulp
// over the clamped range) and inline into loops that then vectorise. The SIMD8 forms do
// the same arithmetic on eight lanes explicitly, for loops that may run in place (where the
// auto-vectoriser's overlap check would fall back to scalar code).

/// e^x for x ≤ 88.3 (clamped there, so the result stays finite); 0 below -87.3, where
/// e^x would be subnormal (as for -∞).
@inline(__always)
func fastExp(_ x: Float) -> Float {
    var v = x < -87.3 ? -87.3 : x
    v = v > 88.3 ? 88.3 : v
    return x < -87.3 ? 0 : expInRange(v)
}

/// e^v for v already in [-87.3, 88.3] (no clamping, so callers that bound their argument
/// themselves skip those selects); NaN in, NaN out.
@inline(__always)
func expInRange(_ v: Float) -> Float {
    // n = round(v / ln 2) via the 1.5·2²³ trick: the low mantissa bits then hold n
    let magic: Float = 12_582_912
    let shifted = v * 1.442_695_04 + magic
    let n = shifted - magic
    let ni = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: magic.bitPattern)
    // r = v − n·ln 2 in two parts (Cody–Waite), |r| ≤ ln2 / 2
    let r = v - n * 0.693_359_375 + n * 2.121_944_4e-4
    let r2 = r * r
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let er = p * r2 + r + 1
    // 2^n as a float bit pattern (n in [-126, 127] for v in range)
    let scale = Float(bitPattern: UInt32(bitPattern: (ni &+ 127) &<< 23))
    return er * scale
}

/// tanh(x) = 1 − 2 / (e^{2x} + 1), saturating cleanly to ±1 (absolute error ≈ 1e-7).
@inline(__always)
func fastTanh(_ x: Float) -> Float {
    1 - 2 / (fastExp(2 * x) + 1)
}

/// e^x on eight lanes; the same arithmetic as the scalar `fastExp`.
@inline(__always)
func fastExp(_ x: SIMD8<Float>) -> SIMD8<Float> {
    var v = x.replacing(with: -87.3, where: x .< -87.3)
    v = v.replacing(with: 88.3, where: v .> 88.3)
    return expInRange(v).replacing(with: 0, where: x .< -87.3)
}

/// e^v on eight lanes for v already in [-87.3, 88.3]; the same arithmetic as the scalar
/// `expInRange`.
@inline(__always)
func expInRange(_ v: SIMD8<Float>) -> SIMD8<Float> {
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = v * 1.442_695_04 + magic
    let n = shifted - magic
    let ni = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
    let r = v - n * 0.693_359_375 + n * 2.121_944_4e-4
    let r2 = r * r
    var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let er = p * r2 + r + 1
    let scale = unsafeBitCast((ni &+ 127) &<< 23, to: SIMD8<Float>.self)
    return er * scale
}

/// e^d on eight lanes for d ≤ 0 (a max-subtracted logit, −∞ included): 0 below −87.3, where
/// e^d would be subnormal; only the lower end of `fastExp`'s clamp can apply.
@inline(__always)
func expNonPositive(_ d: SIMD8<Float>) -> SIMD8<Float> {
    let under = d .< -87.3
    return expInRange(d.replacing(with: -87.3, where: under)).replacing(with: 0, where: under)
}

/// tanh on eight lanes; the same arithmetic as the scalar `fastTanh`.
@inline(__always)
func fastTanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
    1 - 2 / (fastExp(2 * x) + 1)
}

/// Eight floats from an unaligned address.
@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Stores eight floats at an unaligned address.
@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
