// MARK: - Multi-head self-attention over packed variable-length sequences
//
// Layout (the same as a timm/PyTorch ViT `qkv` Linear(C, 3C) reshaped to (3, NH, hs)):
//   qkv row n = [ q (NH heads × hs) | k (NH × hs) | v (NH × hs) ]
// Sequence b owns rows offsets[b] ..< offsets[b+1] (length L_b, may be 0); attention is
// full (no causal mask) within a sequence and never crosses sequences. The probabilities of
// sequence b, head h are an (L_b, L_b) block stored at
//   prob[NH · Σ_{b'<b} L_b'² + h · L_b²]
// so `prob` holds attentionProbCount(...) floats in all. No q/k/v copies are made: sgemm
// reads the strided head blocks of qkv directly (row stride 3C).

/// Floats needed by the `prob` buffer of attention for these sequences: NH · Σ_b L_b².
/// - Parameters:
///   - offsets: (B+1) prefix sums of sequence lengths.  - B: sequences.  - NH: heads.
public func attentionProbCount(offsets: UnsafePointer<Int32>, B: Int, NH: Int) -> Int {
    var total = 0
    for b in 0..<B {
        let L = Int(offsets[b &+ 1] &- offsets[b])
        total = total &+ L &* L
    }
    return total &* NH
}

/// Floats needed by the backward pass's scratch buffer: max_b L_b².
/// - Parameters:
///   - offsets: (B+1) prefix sums of sequence lengths.  - B: sequences.
public func attentionScratchCount(offsets: UnsafePointer<Int32>, B: Int) -> Int {
    var most = 0
    for b in 0..<B {
        let L = Int(offsets[b &+ 1] &- offsets[b])
        most = max(most, L &* L)
    }
    return most
}

/// Attention forward: `out = softmax(q·kᵀ / sqrt(hs)) · v` per sequence and head.
/// - Parameters:
///   - out: (N, C) concatenated head outputs (before the output projection).
///   - prob: (attentionProbCount) saved softmax probabilities, blocks as described above.
///   - qkv: (N, 3C) packed queries, keys and values.
///   - offsets: (B+1) prefix sums of sequence lengths; offsets[B] = N.
///   - B: sequences.  - C: channels.  - NH: heads (C divisible by NH).
public func attentionForward(out: UnsafeMutablePointer<Float>,   // (N, C)
                             prob: UnsafeMutablePointer<Float>,  // (NH · Σ L_b²)
                             qkv: UnsafePointer<Float>,          // (N, 3C)
                             offsets: UnsafePointer<Int32>,      // (B+1)
                             B: Int, C: Int, NH: Int) {
    let hs = C / NH
    let C3 = 3 &* C
    let scale = 1 / Float(hs).squareRoot()
    var probBase = 0
    for b in 0..<B {
        let start = Int(offsets[b])
        let L = Int(offsets[b &+ 1]) &- start
        if L == 0 { continue }
        for h in 0..<NH {
            // seek to this sequence's head-h blocks: q, k, v are (L, hs) with row stride 3C
            let q = qkv + (start &* C3 &+ h &* hs)
            let k = q + C
            let v = q + 2 &* C
            let p = prob + (probBase &+ h &* L &* L)
            // p = scale · q · kᵀ  (L, L)
            sgemm(transA: false, transB: true, M: L, N: L, K: hs, alpha: scale,
                  A: q, lda: C3, B: k, ldb: C3, beta: 0, C: p, ldc: L)
            softmaxForward(out: p, inp: p, R: L, L: L)
            // out_h = p · v  (L, hs), row stride C
            sgemm(transA: false, transB: false, M: L, N: hs, K: L, alpha: 1,
                  A: p, lda: L, B: v, ldb: C3, beta: 0, C: out + (start &* C &+ h &* hs), ldc: C)
        }
        probBase = probBase &+ NH &* L &* L
    }
}

/// Attention backward: accumulates the gradient of the packed qkv buffer.
/// - Parameters:
///   - dqkv: (N, 3C) (+=).
///   - scratch: (attentionScratchCount) workspace, overwritten.
///   - dout: (N, C) upstream gradient of the concatenated head outputs.
///   - qkv: (N, 3C) the forward input.  - prob: saved by the forward pass.
///   - offsets: (B+1).  - B, C, NH: as in the forward pass.
public func attentionBackward(dqkv: UnsafeMutablePointer<Float>,     // (N, 3C)
                              scratch: UnsafeMutablePointer<Float>,  // (max L_b²)
                              dout: UnsafePointer<Float>,            // (N, C)
                              qkv: UnsafePointer<Float>,             // (N, 3C)
                              prob: UnsafePointer<Float>,            // (NH · Σ L_b²)
                              offsets: UnsafePointer<Int32>,         // (B+1)
                              B: Int, C: Int, NH: Int) {
    // in the forward pass this was: s = scale·q·kᵀ; p = softmax(s); out = p·v
    let hs = C / NH
    let C3 = 3 &* C
    let scale = 1 / Float(hs).squareRoot()
    var probBase = 0
    for b in 0..<B {
        let start = Int(offsets[b])
        let L = Int(offsets[b &+ 1]) &- start
        if L == 0 { continue }
        for h in 0..<NH {
            let q = qkv + (start &* C3 &+ h &* hs)
            let k = q + C
            let v = q + 2 &* C
            let dq = dqkv + (start &* C3 &+ h &* hs)
            let dk = dq + C
            let dv = dq + 2 &* C
            let dO = dout + (start &* C &+ h &* hs)
            let p = prob + (probBase &+ h &* L &* L)
            // dv += pᵀ · dout_h
            sgemm(transA: true, transB: false, M: L, N: hs, K: L, alpha: 1,
                  A: p, lda: L, B: dO, ldb: C, beta: 1, C: dv, ldc: C3)
            // dp = dout_h · vᵀ  (L, L) into scratch
            sgemm(transA: false, transB: true, M: L, N: L, K: hs, alpha: 1,
                  A: dO, lda: C, B: v, ldb: C3, beta: 0, C: scratch, ldc: L)
            // ds = p ⊙ (dp − rowsum(p ⊙ dp)), in place
            for i in 0..<L {
                let p_i = p + i &* L
                let d_i = scratch + i &* L
                let dot = reduceDot(p_i, d_i, L)
                for j in 0..<L { d_i[j] = p_i[j] * (d_i[j] - dot) }
            }
            // dq += scale · ds · k ;  dk += scale · dsᵀ · q
            sgemm(transA: false, transB: false, M: L, N: hs, K: L, alpha: scale,
                  A: scratch, lda: L, B: k, ldb: C3, beta: 1, C: dq, ldc: C3)
            sgemm(transA: true, transB: false, M: L, N: hs, K: L, alpha: scale,
                  A: scratch, lda: L, B: q, ldb: C3, beta: 1, C: dk, ldc: C3)
        }
        probBase = probBase &+ NH &* L &* L
    }
}
