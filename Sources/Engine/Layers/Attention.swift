// MARK: - Multi-head self-attention over packed variable-length sequences
//
// Layout (the same as a timm/PyTorch ViT `qkv` Linear(C, 3C) reshaped to (3, NH, hs)):
//   qkv row n = [ q (NH heads × hs) | k (NH × hs) | v (NH × hs) ]
// Sequence b owns rows offsets[b] ..< offsets[b+1] (length L_b, may be 0); attention is
// full (no causal mask) within a sequence and never crosses sequences. The probabilities of
// sequence b, head h are an (L_b, L_b) block stored at
//   prob[NH · Σ_{b'<b} L_b'² + h · L_b²]
// so `prob` holds attentionProbCount(...) floats in all. q and v are read in place as strided
// head blocks of qkv (row stride 3C); the forward pass copies only kᵀ of one head at a time.

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
///
/// When the head size is a multiple of 16 (every shipped config) the products run in the
/// register-tiled loops below, one head of one sequence at a time, with the scores of four
/// query rows turned into probabilities as soon as they are made; otherwise through `sgemm`.
/// Both paths store the same `prob` layout and agree to float rounding (tests).
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
    if (C / NH) % 16 == 0 {
        tiledAttentionForward(out: out, prob: prob, qkv: qkv, offsets: offsets, B: B, C: C, NH: NH)
    } else {
        blasAttentionForward(out: out, prob: prob, qkv: qkv, offsets: offsets, B: B, C: C, NH: NH)
    }
}

/// `attentionForward` through two `sgemm` calls per sequence and head (any head size).
func blasAttentionForward(out: UnsafeMutablePointer<Float>,   // (N, C)
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

/// `attentionForward` for head sizes that are multiples of 16, without BLAS.
///
/// Per sequence and head: kᵀ is copied once into a (hs, Lp) block (Lp = L rounded up to 8,
/// zero-padded); the scores of four query rows at a time are made 16 keys at a time in
/// registers (`tile4x16`, the last 8 keys by `tile4x8`), scaled and turned into probabilities
/// straight into `prob`; then `out_h = p · v` is made four rows by 16 channels at a time by
/// the same tile. Why not two `sgemm` calls per head: at the model's sizes (L = 50–150,
/// hs = 32) they spend their time in OpenBLAS's per-call packing and dispatch, while this
/// forward takes 1.6 % of the fingerprint pass at batch 1 (docs/model.md, session 4). The scratch
/// (kᵀ and four score rows, about 22 KB at hs = 32, L = 150) lives on the stack.
func tiledAttentionForward(out: UnsafeMutablePointer<Float>,   // (N, C)
                           prob: UnsafeMutablePointer<Float>,  // (NH · Σ L_b²)
                           qkv: UnsafePointer<Float>,          // (N, 3C)
                           offsets: UnsafePointer<Int32>,      // (B+1)
                           B: Int, C: Int, NH: Int) {
    let hs = C / NH
    let C3 = 3 &* C
    let scale = SIMD8<Float>(repeating: 1 / Float(hs).squareRoot())
    var longest = 0
    for b in 0..<B { longest = max(longest, Int(offsets[b &+ 1] &- offsets[b])) }
    if longest == 0 { return }
    let widest = (longest &+ 7) & ~7
    withUnsafeTemporaryAllocation(of: Float.self, capacity: (hs &+ 4) &* widest) { scratch in
        let kT = scratch.baseAddress!          // (hs, Lp)
        let scores = kT + (hs &* widest)         // (4, Lp)
        var probBase = 0
        for b in 0..<B {
            let start = Int(offsets[b])
            let L = Int(offsets[b &+ 1]) &- start
            if L == 0 { continue }
            let Lp = (L &+ 7) & ~7
            for h in 0..<NH {
                let q = qkv + (start &* C3 &+ h &* hs)
                let k = q + C
                let v = q + 2 &* C
                let p = prob + (probBase &+ h &* L &* L)
                // kᵀ (hs, Lp), zero beyond L: each key row read once, written down a column
                for j in 0..<L {
                    let key = k + j &* C3
                    for d in 0..<hs { kT[d &* Lp &+ j] = key[d] }
                }
                for d in 0..<hs {
                    for j in L..<Lp { kT[d &* Lp &+ j] = 0 }
                }
                // p = softmax(scale · q · kᵀ), four query rows at a time
                var i0 = 0
                while i0 < L {
                    let rows = min(4, L &- i0)
                    let a = rowPointers(q, stride: C3, first: i0, rows: rows)
                    var j0 = 0
                    while j0 &+ 16 <= Lp {
                        let t = tile4x16(a, b: kT + j0, ldb: Lp, K: hs)
                        let s = scores + j0
                        store8(scale * t.0, s); store8(scale * t.1, s + 8)
                        store8(scale * t.2, s + Lp); store8(scale * t.3, s + (Lp &+ 8))
                        store8(scale * t.4, s + (2 &* Lp)); store8(scale * t.5, s + (2 &* Lp &+ 8))
                        store8(scale * t.6, s + (3 &* Lp)); store8(scale * t.7, s + (3 &* Lp &+ 8))
                        j0 = j0 &+ 16
                    }
                    if j0 < Lp {   // the last 8 keys
                        let t = tile4x8(a, b: kT + j0, ldb: Lp, K: hs)
                        let s = scores + j0
                        store8(scale * t.0, s); store8(scale * t.1, s + Lp)
                        store8(scale * t.2, s + (2 &* Lp)); store8(scale * t.3, s + (3 &* Lp))
                    }
                    for r in 0..<rows {
                        softmaxPaddedRow(scores + (r &* Lp), Lp: Lp, L: L, into: p + ((i0 &+ r) &* L))
                    }
                    i0 = i0 &+ 4
                }
                // out_h = p · v (L, hs), four rows by 16 channels at a time, row stride C
                let o = out + (start &* C &+ h &* hs)
                i0 = 0
                while i0 < L {
                    let rows = min(4, L &- i0)
                    let a = rowPointers(UnsafePointer(p), stride: L, first: i0, rows: rows)
                    var c0 = 0
                    while c0 < hs {
                        let t = tile4x16(a, b: v + c0, ldb: C3, K: L)
                        let y = o + (i0 &* C &+ c0)
                        store8(t.0, y); store8(t.1, y + 8)
                        if rows > 1 { store8(t.2, y + C); store8(t.3, y + (C &+ 8)) }
                        if rows > 2 { store8(t.4, y + (2 &* C)); store8(t.5, y + (2 &* C &+ 8)) }
                        if rows > 3 { store8(t.6, y + (3 &* C)); store8(t.7, y + (3 &* C &+ 8)) }
                        c0 = c0 &+ 16
                    }
                    i0 = i0 &+ 4
                }
            }
            probBase = probBase &+ NH &* L &* L
        }
    }
}

/// `softmaxForward` of one score row held with stride Lp (a multiple of 8): the padding is set
/// to -∞ so that every pass runs eight lanes at a time; the L probabilities go to `p`.
@inline(__always)
private func softmaxPaddedRow(_ s: UnsafeMutablePointer<Float>, Lp: Int, L: Int, into p: UnsafeMutablePointer<Float>) {
    for j in L..<Lp { s[j] = -.infinity }
    let m = SIMD8<Float>(repeating: reduceMax(s, Lp))
    var acc = SIMD8<Float>()
    var j = 0
    while j < Lp {
        let e = expNonPositive(load8(s + j) - m)   // s − max ≤ 0, −∞ on the padding
        store8(e, s + j)
        acc += e
        j = j &+ 8
    }
    let inv = SIMD8<Float>(repeating: 1 / acc.sum())
    j = 0
    while j &+ 8 <= L { store8(load8(s + j) * inv, p + j); j = j &+ 8 }
    while j < L { p[j] = s[j] * inv[0]; j = j &+ 1 }
}

/// Four row pointers starting at row `first` (stride `stride`); rows past `rows` repeat the
/// last real row, so a tile on the ragged end computes it again instead of reading past it.
@inline(__always)
private func rowPointers(_ base: UnsafePointer<Float>, stride: Int, first: Int, rows: Int)
    -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) {
    let last = first &+ rows &- 1
    return (base + first &* stride,
            base + min(first &+ 1, last) &* stride,
            base + min(first &+ 2, last) &* stride,
            base + min(first &+ 3, last) &* stride)
}

/// The register tile of `tiledAttentionForward`: four rows a0…a3 (K floats each, unit stride)
/// times b (K, 16) with row stride ldb, as eight 8-lane sums (row r's 16 outputs are the pair
/// 2r, 2r+1). Eight accumulators, two loads of b and four broadcasts per step of k.
@inline(__always)
private func tile4x16(_ a: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                      b: UnsafePointer<Float>, ldb: Int, K: Int)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
        SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    var c00 = SIMD8<Float>(), c01 = SIMD8<Float>(), c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
    var c20 = SIMD8<Float>(), c21 = SIMD8<Float>(), c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
    var bk = b
    for kk in 0..<K {
        let b0 = load8(bk), b1 = load8(bk + 8)
        let x0 = SIMD8<Float>(repeating: a.0[kk]), x1 = SIMD8<Float>(repeating: a.1[kk])
        let x2 = SIMD8<Float>(repeating: a.2[kk]), x3 = SIMD8<Float>(repeating: a.3[kk])
        c00 += x0 * b0; c01 += x0 * b1
        c10 += x1 * b0; c11 += x1 * b1
        c20 += x2 * b0; c21 += x2 * b1
        c30 += x3 * b0; c31 += x3 * b1
        bk = bk + ldb
    }
    return (c00, c01, c10, c11, c20, c21, c30, c31)
}

/// `tile4x16` for eight columns: four rows times b (K, 8), one 8-lane sum per row.
@inline(__always)
private func tile4x8(_ a: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
                     b: UnsafePointer<Float>, ldb: Int, K: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    var c0 = SIMD8<Float>(), c1 = SIMD8<Float>(), c2 = SIMD8<Float>(), c3 = SIMD8<Float>()
    var bk = b
    for kk in 0..<K {
        let b0 = load8(bk)
        c0 += SIMD8<Float>(repeating: a.0[kk]) * b0
        c1 += SIMD8<Float>(repeating: a.1[kk]) * b0
        c2 += SIMD8<Float>(repeating: a.2[kk]) * b0
        c3 += SIMD8<Float>(repeating: a.3[kk]) * b0
        bk = bk + ldb
    }
    return (c0, c1, c2, c3)
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
