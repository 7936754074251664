import Engine
import Signals

// MARK: - Training forward and backward passes
//
// Size letters as in M2AEModel+Forward.swift: B segments, T patches, P patch size, d encoder
// width, dd decoder width, f fingerprint width, Ne/Np visible ECG/PPG tokens, Nb tokens of the
// B joint bottleneck sequences, G segments in which both modalities have visible tokens.
//
// The training forward is the general forward plus, for each of the G segments, two more
// bottleneck sequences: its visible ECG encoder tokens alone and its visible PPG encoder
// tokens alone (the ECG-only and PPG-only fingerprints of the contrastive loss). Bottleneck
// sequences and fingerprint rows: 0..<B joint (what the decoders read), B..<B+G ECG-only of
// pair g, B+G..<B+2G PPG-only of pair g. The backward pass reverses every forward line,
// accumulating (+=) into the flat gradient arena that lines up with `params`.

/// What one training forward pass laid out, for the objective and the backward pass.
public struct TrainingPass: Sendable {
    /// Segments in the batch.
    public let segments: Int
    /// The segment of each contrastive pair g (both modalities visible), ascending.
    public let pairs: [Int]
    /// Visible tokens per modality.
    let visibleTokens: PerModality<Int>
    /// Tokens per segment per modality.
    let counts: PerModality<[Int]>
    /// Tokens of the joint sequences, and of all bottleneck sequences.
    let jointTokens: Int
    let bottleneckTokens: Int
    /// (B, T) visibility of each modality in the pass.
    public let masks: PerModality<[Bool]>

    /// Fingerprint row of the ECG-only fingerprint of pair g (`B + g`).
    public func ecgOnlyRow(_ g: Int) -> Int { segments + g }
    /// Fingerprint row of the PPG-only fingerprint of pair g (`B + G + g`).
    public func ppgOnlyRow(_ g: Int) -> Int { segments + pairs.count + g }
}

extension M2AEModel {
    // MARK: - Training forward

    /// The training forward pass: the general forward (both decoders over the joint sequences)
    /// plus the ECG-only and PPG-only bottleneck sequences of every segment that shows both
    /// modalities. Needs a `.training` workspace (every block's activations are kept).
    /// - Parameters:
    ///   - ecg, ppg: (B, T·P) z-scored samples.  - visibility: (B, T) masks.
    /// - Returns: the layout the objective and `backward` read.
    /// - Throws: `ForwardError` as `forward` does, or for an inference workspace.
    public func forwardTraining(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>, visibility: Visibility,
                                workspace ws: Workspace) throws -> TrainingPass {
        guard ws.purpose == .training else { throw ForwardError(reason: "a training pass needs a .training workspace") }
        let B = visibility.segments, d = config.dModel
        try check(ws, B: B, T: visibility.patches)
        let inputs = PerModality(ecg: ecg, ppg: ppg)
        let masks = PerModality(ecg: visibility.ecg, ppg: visibility.ppg)
        let (counts, N) = try indexModalities(masks, inputs, B: B, ws: ws)
        // Joint sequences first (rows 0..<Nb), as `forward` lays them out.
        var nb = 0
        var k = PerModality(ecg: 0, ppg: 0)
        var pairs: [Int] = []
        ws.bottleneckOffsets[0] = 0
        for b in 0..<B {
            guard counts.ecg[b] + counts.ppg[b] > 0 else { throw ForwardError(reason: "segment \(b) has no visible patch") }
            for m in Modality.allCases {
                for _ in 0..<counts[m][b] { ws.toBottleneck[m][k[m]] = Int32(nb); nb += 1; k[m] += 1 }
            }
            ws.bottleneckOffsets[b + 1] = Int32(nb)
            if counts.ecg[b] > 0 && counts.ppg[b] > 0 { pairs.append(b) }
        }
        // Then the single-modality sequences of each pair: all ECG-only, then all PPG-only.
        var total = nb
        var s = B
        for m in Modality.allCases {
            for b in pairs {
                total += counts[m][b]; s += 1
                ws.bottleneckOffsets[s] = Int32(total)
            }
        }
        for m in Modality.allCases where N[m] > 0 {
            let out = encode(m, inputs[m], N: N[m], B: B, ws: ws)
            scatterRowsForward(out: ws.bottleneckIn, inp: out, index: ws.toBottleneck[m], M: N[m], C: d)
            for (g, b) in pairs.enumerated() {
                let seq = singleModalitySequence(m, pair: g, segments: B, pairs: pairs.count)
                let dst = ws.bottleneckIn + Int(ws.bottleneckOffsets[seq]) * d
                dst.update(from: out + Int(ws.encOffsets[m][b]) * d, count: counts[m][b] * d)
            }
        }
        bottleneck(S: B + 2 * pairs.count, Nb: total, ws: ws)
        decode(masks, counts: counts, N: N, B: B, Nb: nb, ws: ws)
        return TrainingPass(segments: B, pairs: pairs, visibleTokens: N, counts: counts, jointTokens: nb,
                            bottleneckTokens: total, masks: masks)
    }

    // MARK: - Backward

    /// The backward pass of `forwardTraining`: reads `gradients.dRecon` (∂loss/∂prediction,
    /// (B·T, P) per modality) and `gradients.dFingerprints` (3B, f) and accumulates (+=)
    /// ∂loss/∂parameter into `grads`, an arena with the parameter layout.
    /// - Parameters:
    ///   - pass: what `forwardTraining` returned (the workspace still holds its activations).
    ///   - ws: the `.training` workspace of that pass.  - gradients: activation gradients.
    ///   - grads: (parameter count) gradient slab, laid out as `params`.
    public func backward(_ pass: TrainingPass, workspace ws: Workspace, gradients g: ActivationGradients, into grads: Arena) {
        precondition(g.config == config && pass.segments <= g.maxSegments, "activation gradients sized for another model or batch")
        let c = config, B = pass.segments, T = c.numPatches, P = c.patchSize, d = c.dModel, dd = c.decoderDim
        let f = c.fingerprintDim, p = UnsafePointer(params.base), dp = grads.base
        let Nb = pass.jointTokens, Nall = pass.bottleneckTokens, S = B + 2 * pass.pairs.count
        let Ndec = Nb + B * T
        let N = pass.visibleTokens

        // Decoders → dZ (joint rows).
        g.dZ.update(repeating: 0, count: Nall * f)
        for m in Modality.allCases {
            let w = layout.decoders[m]
            for buf in [g.dDecNorm, g.dDecLast, g.dDecTokens, g.dDecVisible] { buf.update(repeating: 0, count: B * T * dd) }
            g.dDecY.update(repeating: 0, count: Ndec * dd)
            g.dDecIn.update(repeating: 0, count: Ndec * dd)
            g.dDecEmbed.update(repeating: 0, count: Nb * dd)
            // in the forward pass this was: recon = decNorm · headᵀ + b
            matmulBackward(dinp: g.dDecNorm, dweight: dp + w.headw, dbias: dp + w.headb, dout: g.dRecon[m],
                           inp: ws.decNorm[m], weight: p + w.headw, N: B * T, C: dd, OC: P)
            layerNormBackward(dinp: g.dDecLast, dweight: dp + w.normw, dbias: dp + w.normb, dout: g.dDecNorm,
                              inp: ws.decLast[m], weight: p + w.normw, mean: ws.decMean[m], rstd: ws.decRstd[m], N: B * T, C: dd)
            gatherRowsBackward(dinp: g.dDecY, dout: g.dDecLast, index: ws.lastRows, M: B * T, C: dd)
            stackBackward(dinp: g.dDecIn, dout: g.dDecY, slots: ws.decSlots[m], inp: ws.decIn[m], blocks: w.blocks,
                          grads: dp, offsets: ws.decOffsets, S: B, N: Ndec, C: dd, H: c.mlpRatio * dd,
                          NH: c.decoderHeads, g: g)
            // decIn = [embedded bottleneck tokens at contextRows; T-token part at lastRows]
            scatterRowsBackward(dinp: g.dDecEmbed, dout: g.dDecIn, index: ws.contextRows, M: Nb, C: dd)
            scatterRowsBackward(dinp: g.dDecTokens, dout: g.dDecIn, index: ws.lastRows, M: B * T, C: dd)
            // decTokens += pos (in place), mask token at hidden rows, visible rows from decEmbed
            positionEmbeddingBackward(dinp: nil, dwpe: dp + w.pos, dout: g.dDecTokens, positions: ws.tokenPositions,
                                      N: B * T, C: dd)
            fillRowsBackward(dtoken: dp + w.maskToken, dout: g.dDecTokens, index: ws.hiddenRows[m],
                             K: ws.hiddenCount[m], C: dd)
            scatterRowsBackward(dinp: g.dDecVisible, dout: g.dDecTokens, index: ws.patchRows[m], M: N[m], C: dd)
            gatherRowsBackward(dinp: g.dDecEmbed, dout: g.dDecVisible, index: ws.toBottleneck[m], M: N[m], C: dd)
            // decEmbed = z · embedᵀ + b over the joint tokens
            matmulBackward(dinp: g.dZ, dweight: dp + w.embedw, dbias: dp + w.embedb, dout: g.dDecEmbed,
                           inp: ws.bottleneckTokens, weight: p + w.embedw, N: Nb, C: f, OC: dd)
        }

        // Fingerprints → bottleneck.
        let wb = layout.bottleneck
        g.dPooled.update(repeating: 0, count: S * f)
        l2NormBackward(dinp: g.dPooled, dout: g.dFingerprints, out: ws.fingerprints, norm: ws.fingerprintNorm, B: S, C: f)
        meanPoolBackward(dinp: g.dZ, dout: g.dPooled, offsets: ws.bottleneckOffsets, B: S, C: f)
        g.dBNorm.update(repeating: 0, count: Nall * d)
        g.dBY.update(repeating: 0, count: Nall * d)
        g.dBIn.update(repeating: 0, count: Nall * d)
        matmulBackward(dinp: g.dBNorm, dweight: dp + wb.projw, dbias: dp + wb.projb, dout: g.dZ,
                       inp: ws.bottleneckNorm, weight: p + wb.projw, N: Nall, C: d, OC: f)
        let bottleneckOut = ws.bottleneckSlots[c.sharedLayers - 1].res2
        layerNormBackward(dinp: g.dBY, dweight: dp + wb.normw, dbias: dp + wb.normb, dout: g.dBNorm, inp: bottleneckOut,
                          weight: p + wb.normw, mean: ws.bottleneckMean, rstd: ws.bottleneckRstd, N: Nall, C: d)
        stackBackward(dinp: g.dBIn, dout: g.dBY, slots: ws.bottleneckSlots, inp: ws.bottleneckIn, blocks: wb.blocks,
                      grads: dp, offsets: ws.bottleneckOffsets, S: S, N: Nall, C: d, H: c.mlpRatio * d,
                      NH: c.encoderHeads, g: g)

        // Bottleneck input → encoders.
        for m in Modality.allCases where N[m] > 0 {
            let w = layout.encoders[m]
            g.dEncOut.update(repeating: 0, count: N[m] * d)
            g.dEmbedded.update(repeating: 0, count: N[m] * d)
            scatterRowsBackward(dinp: g.dEncOut, dout: g.dBIn, index: ws.toBottleneck[m], M: N[m], C: d)
            for (k, b) in pass.pairs.enumerated() {
                let seq = singleModalitySequence(m, pair: k, segments: B, pairs: pass.pairs.count)
                addRows(g.dEncOut + Int(ws.encOffsets[m][b]) * d, g.dBIn + Int(ws.bottleneckOffsets[seq]) * d,
                        pass.counts[m][b] * d)
            }
            stackBackward(dinp: g.dEmbedded, dout: g.dEncOut, slots: ws.encoderSlots[m], inp: ws.embedded[m],
                          blocks: w.blocks, grads: dp, offsets: ws.encOffsets[m], S: B, N: N[m], C: d,
                          H: c.mlpRatio * d, NH: c.encoderHeads, g: g)
            // embedded = patches · patch_embedᵀ + b + pos[t] + modality (the last two in place)
            modalityEmbeddingBackward(dinp: nil, dvec: dp + w.modality, dout: g.dEmbedded, N: N[m], C: d)
            positionEmbeddingBackward(dinp: nil, dwpe: dp + w.pos, dout: g.dEmbedded, positions: ws.positions[m], N: N[m], C: d)
            matmulBackward(dinp: nil, dweight: dp + w.patchw, dbias: dp + w.patchb, dout: g.dEmbedded,
                           inp: ws.patches[m], weight: p + w.patchw, N: N[m], C: P, OC: d)
        }
    }

    /// The bottleneck sequence of pair g's single-modality tokens: B + g for ECG-only,
    /// B + G + g for PPG-only (the layout at the top of this file).
    private func singleModalitySequence(_ m: Modality, pair g: Int, segments B: Int, pairs G: Int) -> Int {
        B + (m == .ppg ? G : 0) + g
    }

    // MARK: - Blocks

    /// Backward of `stackForward`: ∂loss/∂(stack input) += into `dinp` (N, C) from
    /// ∂loss/∂(stack output) `dout` (N, C); block gradients pass between blocks through the
    /// ping/pong scratch.
    private func stackBackward(dinp: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>,
                               slots: [BlockActivations], inp: UnsafePointer<Float>,
                               blocks: [ParameterLayout.Block], grads: UnsafeMutablePointer<Float>,
                               offsets: UnsafePointer<Int32>, S: Int, N: Int, C: Int, H: Int, NH: Int,
                               g: ActivationGradients) {
        var upstream = dout
        let spare = [g.ping, g.pong]
        for l in stride(from: blocks.count - 1, through: 0, by: -1) {
            let blockInput = l == 0 ? inp : UnsafePointer(slots[l - 1].res2)
            let target: UnsafeMutablePointer<Float>
            if l == 0 {
                target = dinp
            } else {
                target = spare[l % 2]
                target.update(repeating: 0, count: N * C)
            }
            blockBackward(dinp: target, dout: upstream, a: slots[l], inp: blockInput, w: blocks[l],
                          grads: grads, offsets: offsets, S: S, N: N, C: C, H: H, NH: NH, g: g)
            upstream = UnsafePointer(target)
        }
    }

    /// Backward of one pre-norm block (`blockForward`), line by line in reverse.
    private func blockBackward(dinp: UnsafeMutablePointer<Float>,   // (N, C) +=
                               dout: UnsafePointer<Float>,          // (N, C)
                               a: BlockActivations, inp: UnsafePointer<Float>, w: ParameterLayout.Block,
                               grads dp: UnsafeMutablePointer<Float>, offsets: UnsafePointer<Int32>,
                               S: Int, N: Int, C: Int, H: Int, NH: Int, g: ActivationGradients) {
        let p = UnsafePointer(params.base)
        for buf in [g.dRes1, g.dLn2, g.dAtty, g.dLn1] { buf.update(repeating: 0, count: N * C) }
        g.dQKV.update(repeating: 0, count: 3 * N * C)
        g.dFc1.update(repeating: 0, count: N * H)
        g.dGelu.update(repeating: 0, count: N * H)
        // res2 = res1 + fc2
        addRows(g.dRes1, dout, N * C)
        // fc2 = gelu · fc2ᵀ + b
        matmulBackward(dinp: g.dGelu, dweight: dp + w.fc2w, dbias: dp + w.fc2b, dout: dout, inp: a.gelu,
                       weight: p + w.fc2w, N: N, C: H, OC: C)
        // gelu = GELU(fc1)
        geluBackward(dinp: g.dFc1, dout: g.dGelu, inp: a.fc1, count: N * H)
        // fc1 = ln2 · fc1ᵀ + b
        matmulBackward(dinp: g.dLn2, dweight: dp + w.fc1w, dbias: dp + w.fc1b, dout: g.dFc1, inp: a.ln2,
                       weight: p + w.fc1w, N: N, C: C, OC: H)
        // ln2 = LayerNorm(res1)
        layerNormBackward(dinp: g.dRes1, dweight: dp + w.ln2w, dbias: dp + w.ln2b, dout: g.dLn2, inp: a.res1,
                          weight: p + w.ln2w, mean: a.ln2Mean, rstd: a.ln2Rstd, N: N, C: C)
        // res1 = inp + attProj
        addRows(dinp, g.dRes1, N * C)
        // attProj = atty · projᵀ + b
        matmulBackward(dinp: g.dAtty, dweight: dp + w.projw, dbias: dp + w.projb, dout: g.dRes1, inp: a.atty,
                       weight: p + w.projw, N: N, C: C, OC: C)
        // atty = attention(qkv)
        attentionBackward(dqkv: g.dQKV, scratch: g.attScratch, dout: g.dAtty, qkv: a.qkv, prob: a.prob,
                          offsets: offsets, B: S, C: C, NH: NH)
        // qkv = ln1 · qkvᵀ + b
        matmulBackward(dinp: g.dLn1, dweight: dp + w.qkvw, dbias: dp + w.qkvb, dout: g.dQKV, inp: a.ln1,
                       weight: p + w.qkvw, N: N, C: C, OC: 3 * C)
        // ln1 = LayerNorm(inp)
        layerNormBackward(dinp: dinp, dweight: dp + w.ln1w, dbias: dp + w.ln1b, dout: g.dLn1, inp: inp,
                          weight: p + w.ln1w, mean: a.ln1Mean, rstd: a.ln1Rstd, N: N, C: C)
    }
}

// MARK: - Result access for the objective

extension Workspace {
    /// A decoder's predictions of the last pass (B·T, P), read in place by the objective.
    package func reconstructionBuffer(_ m: Modality) -> UnsafePointer<Float> { UnsafePointer(recon[m]) }
    /// The fingerprints of the last pass (rows, f), read in place by the objective.
    package var fingerprintBuffer: UnsafePointer<Float> { UnsafePointer(fingerprints) }
}

/// `dst[i] += src[i]` for `count` floats (the backward of a row copy or a residual).
private func addRows(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ count: Int) {
    var i = 0
    while i &+ 8 <= count {
        let a = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD8<Float>.self)
        let b = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: a + b, as: SIMD8<Float>.self)
        i &+= 8
    }
    while i < count { dst[i] += src[i]; i &+= 1 }
}
