/// Undoes integer wrap-around: a jump of more than half the wrap period between neighbouring
/// samples is taken as a wrap and the period added or subtracted from there on (numpy's `unwrap`).
public enum Unwrap {
    // MARK: - API

    /// Unwraps `x` whose values wrap with `period` (ADC span in physical units: 2^bits / gain).
    ///
    /// NaN samples are kept and skipped over.
    /// - Returns: the unwrapped samples `(n)`; the input when `period` is not positive.
    public static func unwrap(_ x: [Float], period: Double) -> [Float] {
        guard period > 0 else { return x }
        var out = x
        var shift = 0.0
        var previous: Double?
        for i in x.indices where x[i].isFinite {
            let v = Double(x[i])
            if let p = previous {
                let step = v - p
                if step > period / 2 { shift -= period } else if step < -period / 2 { shift += period }
            }
            previous = v
            out[i] = Float(v + shift)
        }
        return out
    }
}
