import Foundation

/// A double-precision complex number: just enough arithmetic for filter design.
struct Complex: Sendable, Equatable {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double = 0) { self.re = re; self.im = im }

    /// e^{iθ}.
    static func polar(_ r: Double, _ theta: Double) -> Complex { Complex(r * cos(theta), r * sin(theta)) }

    var conjugate: Complex { Complex(re, -im) }
    var magnitudeSquared: Double { re * re + im * im }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    static func * (a: Complex, s: Double) -> Complex { Complex(a.re * s, a.im * s) }
    static func / (a: Complex, b: Complex) -> Complex {
        let d = b.magnitudeSquared
        return Complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }

    /// The principal square root.
    var squareRoot: Complex {
        let r = magnitudeSquared.squareRoot()
        let x = ((r + re) / 2).squareRoot()
        let y = ((r - re) / 2).squareRoot()
        return Complex(x, im < 0 ? -y : y)
    }
}
