// MARK: - Mean squared error over selected patches

/// MSE loss forward over the rows in `index` (the hidden patches):
/// `loss = Σ_k Σ_p (pred[index[k], p] − target[index[k], p])² / (K·P)`; 0 when K = 0.
/// - Parameters:
///   - pred: (N, P) predicted patches.  - target: (N, P) true patches, same row numbering.
///   - index: (K) the rows that count.  - K: selected rows.  - P: patch length.
/// - Returns: the mean loss (accumulated in Double).
public func mseLossForward(pred: UnsafePointer<Float>,    // (N, P)
                           target: UnsafePointer<Float>,  // (N, P)
                           index: UnsafePointer<Int32>,   // (K)
                           K: Int, P: Int) -> Float {
    if K == 0 || P == 0 { return 0 }
    var total: Double = 0
    for k in 0..<K {
        let row = Int(index[k]) &* P
        let x = pred + row, y = target + row
        var s: Float = 0
        for p in 0..<P {
            let d = x[p] - y[p]
            s += d * d
        }
        total += Double(s)
    }
    return Float(total / Double(K &* P))
}

/// MSE loss backward: `dpred[index[k]] += dloss · 2·(pred − target) / (K·P)`.
/// - Parameters:
///   - dpred: (N, P) (+=).  - pred, target: (N, P).  - index: (K).
///   - dloss: the loss's upstream gradient (its weight in the total loss).
public func mseLossBackward(dpred: UnsafeMutablePointer<Float>,  // (N, P)
                            pred: UnsafePointer<Float>,          // (N, P)
                            target: UnsafePointer<Float>,        // (N, P)
                            index: UnsafePointer<Int32>,         // (K)
                            K: Int, P: Int, dloss: Float) {
    // in the forward pass this was: loss = Σ (pred − target)² / (K·P)
    if K == 0 || P == 0 { return }
    let scale = dloss * 2 / Float(K &* P)
    for k in 0..<K {
        let row = Int(index[k]) &* P
        let x = pred + row, y = target + row, dx = dpred + row
        for p in 0..<P { dx[p] += scale * (x[p] - y[p]) }
    }
}
