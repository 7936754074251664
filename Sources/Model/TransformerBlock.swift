import Engine

// MARK: - Pre-norm transformer block, composed from the engine's layers
//
// Size letters: N packed tokens, S sequences (`offsets` holds S+1 prefix sums), C width,
// H MLP width, NH heads. The block is
//   x1 = x + proj(attention(qkv(ln1(x))))
//   y  = x1 + fc2(gelu(fc1(ln2(x1))))
// Every intermediate the backward pass needs is kept in a `BlockActivations` slot.

/// Pointers to one block's saved activations, carved from the activation arena.
/// A training workspace has one slot per block; an inference workspace reuses one slot for
/// every block of a stack (the block's input is the previous block's `res2`, which the block
/// reads before it overwrites it).
struct BlockActivations {
    var ln1: UnsafeMutablePointer<Float>       // (N, C)
    var ln1Mean: UnsafeMutablePointer<Float>   // (N)
    var ln1Rstd: UnsafeMutablePointer<Float>   // (N)
    var qkv: UnsafeMutablePointer<Float>       // (N, 3C)
    var prob: UnsafeMutablePointer<Float>      // (NH · Σ L_s²)
    var atty: UnsafeMutablePointer<Float>      // (N, C) head outputs before the projection
    var attProj: UnsafeMutablePointer<Float>   // (N, C)
    var res1: UnsafeMutablePointer<Float>      // (N, C)
    var ln2: UnsafeMutablePointer<Float>       // (N, C)
    var ln2Mean: UnsafeMutablePointer<Float>   // (N)
    var ln2Rstd: UnsafeMutablePointer<Float>   // (N)
    var fc1: UnsafeMutablePointer<Float>       // (N, H) before GELU
    var gelu: UnsafeMutablePointer<Float>      // (N, H)
    var fc2: UnsafeMutablePointer<Float>       // (N, C)
    var res2: UnsafeMutablePointer<Float>      // (N, C) the block's output

    /// The arena size table of one slot named `prefix`.
    static func table(_ prefix: String, N: Int, C: Int, H: Int, prob: Int) -> [(name: String, count: Int)] {
        [("\(prefix).ln1", N * C), ("\(prefix).ln1Mean", N), ("\(prefix).ln1Rstd", N),
         ("\(prefix).qkv", 3 * N * C), ("\(prefix).prob", prob), ("\(prefix).atty", N * C),
         ("\(prefix).attProj", N * C), ("\(prefix).res1", N * C), ("\(prefix).ln2", N * C),
         ("\(prefix).ln2Mean", N), ("\(prefix).ln2Rstd", N), ("\(prefix).fc1", N * H),
         ("\(prefix).gelu", N * H), ("\(prefix).fc2", N * C), ("\(prefix).res2", N * C)]
    }

    /// Resolves the views of the slot named `prefix` in `arena`.
    init(_ arena: Arena, _ prefix: String) {
        ln1 = arena["\(prefix).ln1"]; ln1Mean = arena["\(prefix).ln1Mean"]; ln1Rstd = arena["\(prefix).ln1Rstd"]
        qkv = arena["\(prefix).qkv"]; prob = arena["\(prefix).prob"]; atty = arena["\(prefix).atty"]
        attProj = arena["\(prefix).attProj"]; res1 = arena["\(prefix).res1"]; ln2 = arena["\(prefix).ln2"]
        ln2Mean = arena["\(prefix).ln2Mean"]; ln2Rstd = arena["\(prefix).ln2Rstd"]; fc1 = arena["\(prefix).fc1"]
        gelu = arena["\(prefix).gelu"]; fc2 = arena["\(prefix).fc2"]; res2 = arena["\(prefix).res2"]
    }
}

/// One pre-norm block forward; the output is `a.res2`.
/// - Parameters:
///   - a: the block's activation slot.  - inp: (N, C) block input (may be `a.res2`).
///   - w: the block's weight offsets into `params`.  - params: the parameter slab.
///   - offsets: (S+1) sequence prefix sums.  - S: sequences.  - N: tokens.
///   - C: width.  - H: MLP width.  - NH: heads.
func blockForward(_ a: BlockActivations,
                  inp: UnsafePointer<Float>,          // (N, C)
                  w: ParameterLayout.Block, params: UnsafePointer<Float>,
                  offsets: UnsafePointer<Int32>,      // (S+1)
                  S: Int, N: Int, C: Int, H: Int, NH: Int) {
    layerNormForward(out: a.ln1, mean: a.ln1Mean, rstd: a.ln1Rstd, inp: inp,
                     weight: params + w.ln1w, bias: params + w.ln1b, N: N, C: C)
    matmulForward(out: a.qkv, inp: a.ln1, weight: params + w.qkvw, bias: params + w.qkvb, N: N, C: C, OC: 3 * C)
    attentionForward(out: a.atty, prob: a.prob, qkv: a.qkv, offsets: offsets, B: S, C: C, NH: NH)
    matmulForward(out: a.attProj, inp: a.atty, weight: params + w.projw, bias: params + w.projb, N: N, C: C, OC: C)
    residualForward(out: a.res1, inp1: inp, inp2: a.attProj, count: N * C)
    layerNormForward(out: a.ln2, mean: a.ln2Mean, rstd: a.ln2Rstd, inp: a.res1,
                     weight: params + w.ln2w, bias: params + w.ln2b, N: N, C: C)
    matmulForward(out: a.fc1, inp: a.ln2, weight: params + w.fc1w, bias: params + w.fc1b, N: N, C: C, OC: H)
    geluForward(out: a.gelu, inp: a.fc1, count: N * H)
    matmulForward(out: a.fc2, inp: a.gelu, weight: params + w.fc2w, bias: params + w.fc2b, N: N, C: H, OC: C)
    residualForward(out: a.res2, inp1: a.res1, inp2: a.fc2, count: N * C)
}

/// Runs a stack of blocks; returns the pointer holding the stack's output (N, C).
func stackForward(_ slots: [BlockActivations], inp: UnsafePointer<Float>,
                  blocks: [ParameterLayout.Block], params: UnsafePointer<Float>,
                  offsets: UnsafePointer<Int32>, S: Int, N: Int, C: Int, H: Int, NH: Int) -> UnsafeMutablePointer<Float> {
    var x = inp
    var out = slots[0].res2
    for (l, w) in blocks.enumerated() {
        let a = slots[min(l, slots.count - 1)]
        blockForward(a, inp: x, w: w, params: params, offsets: offsets, S: S, N: N, C: C, H: H, NH: NH)
        out = a.res2
        x = UnsafePointer(out)
    }
    return out
}
