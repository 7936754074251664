import Foundation

// MARK: - Symmetric InfoNCE between two (B, F) matrices

/// Symmetric InfoNCE forward between paired rows of `a` and `b` (row i of each is a pair):
/// with logits `S = a·bᵀ / τ` (B, B),
/// `loss = ½·(mean_i CE(S[i, :], i) + mean_i CE(Sᵀ[i, :], i))`
/// (CLIP's loss: `(F.cross_entropy(S, arange) + F.cross_entropy(S.T, arange)) / 2`).
/// - Parameters:
///   - probs: (2, B, B) saved: softmax of the rows of S, then of the rows of Sᵀ.
///   - a: (B, F) e.g. ECG fingerprints.  - b: (B, F) e.g. PPG fingerprints.
///   - B: pairs (0 gives loss 0).  - F: features.  - tau: temperature τ.
/// - Returns: the loss (log-sum-exp form, so it stays finite when a probability underflows).
public func infoNCEForward(probs: UnsafeMutablePointer<Float>,  // (2, B, B)
                           a: UnsafePointer<Float>,             // (B, F)
                           b: UnsafePointer<Float>,             // (B, F)
                           B: Int, F: Int, tau: Float) -> Float {
    if B == 0 { return 0 }
    let BB = B &* B
    let rows = probs, cols = probs + BB
    // S = a·bᵀ/τ into rows; Sᵀ = b·aᵀ/τ into cols
    sgemm(transA: false, transB: true, M: B, N: B, K: F, alpha: 1 / tau,
          A: a, lda: F, B: b, ldb: F, beta: 0, C: rows, ldc: B)
    for i in 0..<B {
        for j in 0..<B { cols[j &* B &+ i] = rows[i &* B &+ j] }
    }
    var total: Double = 0
    for half in 0..<2 {
        let s = probs + half &* BB
        for i in 0..<B {
            // −log softmax(S[i, :])[i] = logsumexp(S[i, :]) − S[i, i]
            let r = s + i &* B
            var maxval = -Float.infinity
            for j in 0..<B where r[j] > maxval { maxval = r[j] }
            var sum: Double = 0
            for j in 0..<B { sum += Double(exp(r[j] - maxval)) }
            total += Double(maxval) + log(sum) - Double(r[i])
        }
    }
    softmaxForward(out: probs, inp: probs, R: 2 &* B, L: B)
    return Float(total / Double(2 &* B))
}

/// Symmetric InfoNCE backward. With `G = (P_rows − I) + (P_cols − I)ᵀ` scaled by
/// `dloss / (2·B·τ)`: `da += G·b`, `db += Gᵀ·a`.
/// - Parameters:
///   - da: (B, F) (+=).  - db: (B, F) (+=).
///   - probs: (2, B, B) saved by the forward pass.  - a, b: (B, F) the forward inputs.
///   - dloss: the loss's upstream gradient (its weight λ in the total loss).
public func infoNCEBackward(da: UnsafeMutablePointer<Float>,  // (B, F)
                            db: UnsafeMutablePointer<Float>,  // (B, F)
                            probs: UnsafePointer<Float>,      // (2, B, B)
                            a: UnsafePointer<Float>,          // (B, F)
                            b: UnsafePointer<Float>,          // (B, F)
                            B: Int, F: Int, tau: Float, dloss: Float) {
    // in the forward pass this was: S = a·bᵀ/τ; loss = ½(CE(S) + CE(Sᵀ)) averaged over rows
    if B == 0 { return }
    let rows = probs, cols = probs + B &* B
    let alpha = dloss / (2 * Float(B) * tau)
    // da += α (P_rows·b + P_colsᵀ·b − 2b)
    sgemm(transA: false, transB: false, M: B, N: F, K: B, alpha: alpha,
          A: rows, lda: B, B: b, ldb: F, beta: 1, C: da, ldc: F)
    sgemm(transA: true, transB: false, M: B, N: F, K: B, alpha: alpha,
          A: cols, lda: B, B: b, ldb: F, beta: 1, C: da, ldc: F)
    // db += α (P_rowsᵀ·a + P_cols·a − 2a)
    sgemm(transA: true, transB: false, M: B, N: F, K: B, alpha: alpha,
          A: rows, lda: B, B: a, ldb: F, beta: 1, C: db, ldc: F)
    sgemm(transA: false, transB: false, M: B, N: F, K: B, alpha: alpha,
          A: cols, lda: B, B: a, ldb: F, beta: 1, C: db, ldc: F)
    let twoAlpha = 2 * alpha
    for i in 0..<(B &* F) {
        da[i] -= twoAlpha * b[i]
        db[i] -= twoAlpha * a[i]
    }
}
