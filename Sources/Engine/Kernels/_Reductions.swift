// MARK: - Eight-lane reductions
//
// A Float reduction written as `s += x[i]` is a serial dependency chain the compiler may not
// reorder (no fast-math), so it neither vectorises nor pipelines. These keep eight partial
// sums in a SIMD8 register and combine them at the end (a different but equally accurate
// summation order).

/// Σ x[i] for i in 0..<n.
@inline(__always)
func reduceSum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    while i &+ 8 <= n {
        acc += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        i = i &+ 8
    }
    var s = acc.sum()
    while i < n { s += x[i]; i = i &+ 1 }
    return s
}

/// Σ x[i]·y[i] for i in 0..<n.
@inline(__always)
func reduceDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    while i &+ 8 <= n {
        let a = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        let b = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
        acc += a * b
        i = i &+ 8
    }
    var s = acc.sum()
    while i < n { s += x[i] * y[i]; i = i &+ 1 }
    return s
}

/// Σ (x[i] − c)² for i in 0..<n.
@inline(__always)
func reduceSquaredDeviation(_ x: UnsafePointer<Float>, _ c: Float, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    let cv = SIMD8<Float>(repeating: c)
    var i = 0
    while i &+ 8 <= n {
        let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - cv
        acc += d * d
        i = i &+ 8
    }
    var s = acc.sum()
    while i < n { let d = x[i] - c; s += d * d; i = i &+ 1 }
    return s
}

/// max_i x[i] for i in 0..<n (−∞ for n = 0).
@inline(__always)
func reduceMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var i = 0
    var m = -Float.infinity
    if n >= 8 {
        var acc = SIMD8<Float>(repeating: -.infinity)
        while i &+ 8 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            acc.replace(with: v, where: v .> acc)
            i = i &+ 8
        }
        for lane in 0..<8 where acc[lane] > m { m = acc[lane] }
    }
    while i < n { if x[i] > m { m = x[i] }; i = i &+ 1 }
    return m
}
