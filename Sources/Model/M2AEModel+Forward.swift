import Engine
import Foundation

// MARK: - Forward passes
//
// Size letters: B segments, T patches per modality, P samples per patch, d encoder width,
// dd decoder width, f fingerprint width, Ne/Np visible ECG/PPG tokens of the batch, Nb
// bottleneck tokens. Inputs are z-scored segments (B, T·P) row-major, i.e. (B·T, P) patches.
// Tokens are packed: each segment's visible tokens in position order, ECG before PPG.

extension M2AEModel {
    /// The general forward pass with any visibility: the fingerprint of what is visible and
    /// both decoders' predictions of every patch.
    ///
    /// Results stay in `workspace`: `workspace.fingerprintRows(B)` (B, f) and
    /// `workspace.reconstruction(m, B)` (B, T·P); a `.training` workspace also keeps every
    /// intermediate (`encoderOutput`, `bottleneckOutput`).
    /// - Parameters:
    ///   - ecg, ppg: (B, T·P) z-scored samples; hidden patches are never read (NaN is fine there).
    ///   - visibility: (B, T) masks; every segment needs at least one visible patch.
    /// - Throws: `ForwardError` for a batch larger than the workspace, a segment with nothing
    ///   visible, or a visible patch that is not finite.
    public func forward(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>, visibility: Visibility,
                        workspace ws: Workspace) throws {
        let B = visibility.segments
        try check(ws, B: B, T: visibility.patches)
        let inputs = [ecg, ppg]
        let masks = [visibility.ecg, visibility.ppg]
        // Encoder index lists: visible patch rows b·T + t, positions t, per-segment offsets.
        let (counts, N) = try indexModalities(masks, inputs, B: B, ws: ws)
        // Bottleneck: one sequence per segment, [ECG tokens; PPG tokens].
        var nb = 0
        ws.bottleneckOffsets[0] = 0
        var k = [0, 0]
        for b in 0..<B {
            guard counts[0][b] + counts[1][b] > 0 else { throw ForwardError(reason: "segment \(b) has no visible patch") }
            for m in 0..<2 {
                for _ in 0..<counts[m][b] { ws.toBottleneck[m][k[m]] = Int32(nb); nb += 1; k[m] += 1 }
            }
            ws.bottleneckOffsets[b + 1] = Int32(nb)
        }
        for m in 0..<2 where N[m] > 0 {
            let y = encode(m, inputs[m], N: N[m], B: B, ws: ws)
            scatterRowsForward(out: ws.bottleneckIn, inp: y, index: ws.toBottleneck[m], M: N[m], C: config.dModel)
        }
        bottleneck(S: B, Nb: nb, ws: ws)
        decode(masks, counts: counts, N: N, B: B, Nb: nb, ws: ws)
    }

    /// All three fingerprint modes of every segment in one pass (what `m2ae embed` stores).
    ///
    /// Every patch of a present modality is visible. The modality encoders run once per
    /// segment (they see only their own tokens, so ECG+PPG and ECG-only share the ECG
    /// encoder's output); the bottleneck then runs three sequences per segment:
    /// [ECG; PPG], [ECG], [PPG]. A segment lacking a modality gets its single-modality
    /// fingerprint as its ECG+PPG fingerprint and NaN for the missing modality's mode.
    /// Results: `workspace.fingerprintRows(3B)`, row 3b + k for mode k of
    /// `FingerprintMode.allCases` (ecg+ppg, ecg, ppg).
    /// - Parameters:
    ///   - ecg, ppg: (B, T·P) z-scored samples (rows of an absent modality are not read).
    ///   - present: (B, 2) whether each segment's ECG and PPG are present.
    /// - Throws: `ForwardError` for a batch larger than the workspace or a present modality
    ///   holding a non-finite sample.
    public func fingerprintsAllModes(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>,
                                     present: [(ecg: Bool, ppg: Bool)], workspace ws: Workspace) throws {
        let B = present.count, S = config.segmentSamples, f = config.fingerprintDim
        try check(ws, B: B, T: config.numPatches)
        // Cache blocking: the batch runs in tiles of `allModesTile` segments, so each tile's
        // activations stay in cache (a whole 256-segment batch at once is 25 % slower than
        // tiles of 16; with attention out of BLAS, tiles of 8 beat 16 in 5 of 6 alternating
        // one-thread runs at batch 256, median +9 %: an encoder tile's qkv shrinks from 1.2 MB
        // to 0.6 MB, near the 512 KB L2 of the project machine; docs/model.md).
        for lo in stride(from: 0, to: B, by: Self.allModesTile) {
            let hi = min(lo + Self.allModesTile, B)
            try allModes(ecg: ecg + lo * S, ppg: ppg + lo * S, present: present[lo..<hi],
                         out: ws.fingerprints + 3 * lo * f, ws: ws)
        }
    }

    /// Segments per tile of `fingerprintsAllModes`.
    public static let allModesTile = 8

    /// One tile of `fingerprintsAllModes`; fingerprints (3·B_tile, f) go to `out`.
    private func allModes(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>, present: ArraySlice<(ecg: Bool, ppg: Bool)>,
                          out: UnsafeMutablePointer<Float>, ws: Workspace) throws {
        let B = present.count, T = config.numPatches
        let inputs = [ecg, ppg]
        var masks = [[Bool]](repeating: [], count: 2)
        for m in 0..<2 {
            masks[m] = present.flatMap { p in [Bool](repeating: m == 0 ? p.ecg : p.ppg, count: T) }
        }
        let (counts, N) = try indexModalities(masks, inputs, B: B, ws: ws)
        // Sequences 3b (both), 3b+1 (ECG), 3b+2 (PPG); each encoder row goes to two of them.
        var off: Int32 = 0
        var k = [0, 0]
        ws.bottleneckOffsets[0] = 0
        for b in 0..<B {
            let ne = counts[0][b], np = counts[1][b]
            let both = off, onlyE = off + Int32(ne + np), onlyP = onlyE + Int32(ne)
            for j in 0..<ne { ws.toBottleneck[0][k[0]] = both + Int32(j); ws.toBottleneck2[0][k[0]] = onlyE + Int32(j); k[0] += 1 }
            for j in 0..<np { ws.toBottleneck[1][k[1]] = both + Int32(ne + j); ws.toBottleneck2[1][k[1]] = onlyP + Int32(j); k[1] += 1 }
            ws.bottleneckOffsets[3 * b + 1] = onlyE
            ws.bottleneckOffsets[3 * b + 2] = onlyP
            off = onlyP + Int32(np)
            ws.bottleneckOffsets[3 * b + 3] = off
        }
        for m in 0..<2 where N[m] > 0 {
            let y = encode(m, inputs[m], N: N[m], B: B, ws: ws)
            scatterRowsForward(out: ws.bottleneckIn, inp: y, index: ws.toBottleneck[m], M: N[m], C: config.dModel)
            scatterRowsForward(out: ws.bottleneckIn, inp: y, index: ws.toBottleneck2[m], M: N[m], C: config.dModel)
        }
        bottleneck(S: 3 * B, Nb: Int(off), ws: ws, out: out)
        // A mode whose sequence is empty has no fingerprint.
        let f = config.fingerprintDim
        for s in 0..<(3 * B) where ws.bottleneckOffsets[s] == ws.bottleneckOffsets[s + 1] {
            (out + s * f).update(repeating: .nan, count: f)
        }
    }

    /// One segment's three fingerprint modes on two threads (workspaces `a` and `b`, BLAS
    /// single-threaded by the caller): the ECG encoder runs on one thread while the PPG encoder
    /// runs on the other; then the ECG+PPG sequence runs the bottleneck on one thread while the
    /// ECG-only and PPG-only sequences run it on the other. The three fingerprints (3, f) go to
    /// `out`, as `fingerprintsAllModes` writes them for a batch of one.
    package func allModesOnTwoThreads(ecg: UnsafePointer<Float>, ppg: UnsafePointer<Float>, present: (ecg: Bool, ppg: Bool),
                              out: UnsafeMutablePointer<Float>, a: Workspace, b: Workspace) throws {
        let T = config.numPatches, d = config.dModel, f = config.fingerprintDim
        try check(a, B: 1, T: T); try check(b, B: 1, T: T)
        let inputs = [ecg, ppg]
        let masks = [[Bool](repeating: present.ecg, count: T), [Bool](repeating: present.ppg, count: T)]
        let (_, N) = try indexModalities(masks, inputs, B: 1, ws: a)
        _ = try indexModalities(masks, inputs, B: 1, ws: b)
        // Encoders: ECG on `a`, PPG on `b`; each leaves its output in its workspace's `encoderOut`.
        let spaces = [a, b], shared = ReadOnlyInput(ecg: ecg, ppg: ppg)
        DispatchQueue.concurrentPerform(iterations: 2) { m in
            guard N[m] > 0 else { return }
            _ = encode(m, m == 0 ? shared.ecg : shared.ppg, N: N[m], B: 1, ws: spaces[m])
        }
        // Both bottleneck inputs hold [ECG tokens; PPG tokens]: `a` as one sequence (ECG+PPG),
        // `b` as two (ECG-only, PPG-only).
        let ne = N[0], np = N[1]
        for ws in spaces {
            ws.bottleneckIn.update(from: a.encoderOut[0], count: ne * d)
            (ws.bottleneckIn + ne * d).update(from: b.encoderOut[1], count: np * d)
        }
        a.bottleneckOffsets[0] = 0; a.bottleneckOffsets[1] = Int32(ne + np)
        b.bottleneckOffsets[0] = 0; b.bottleneckOffsets[1] = Int32(ne); b.bottleneckOffsets[2] = Int32(ne + np)
        let output = SharedRows(out)
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            bottleneck(S: w == 0 ? 1 : 2, Nb: ne + np, ws: spaces[w], out: output.pointer + w * f)
        }
        // A mode whose sequence is empty has no fingerprint.
        for (s, n) in [ne + np, ne, np].enumerated() where n == 0 { (out + s * f).update(repeating: .nan, count: f) }
    }

    // MARK: - Stages

    func check(_ ws: Workspace, B: Int, T: Int) throws {
        guard ws.config == config else { throw ForwardError(reason: "the workspace was sized for another config") }
        guard B <= ws.maxSegments else {
            throw ForwardError(reason: "batch of \(B) segments exceeds the workspace's \(ws.maxSegments)")
        }
        guard T == config.numPatches else { throw ForwardError(reason: "masks have \(T) patches, the model \(config.numPatches)") }
    }

    /// Fills the encoder index lists of both modalities (`indexVisible` for ECG, then PPG).
    /// - Returns: per modality, each segment's visible-token count and the total.
    func indexModalities(_ masks: [[Bool]], _ inputs: [UnsafePointer<Float>], B: Int,
                         ws: Workspace) throws -> (counts: [[Int]], N: [Int]) {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: B), count: 2)
        var N = [0, 0]
        for m in 0..<2 {
            N[m] = try indexVisible(masks[m], inputs[m], m, B: B, ws: ws, counts: &counts[m])
        }
        return (counts, N)
    }

    /// Fills the encoder index lists of modality m and checks its visible samples are finite.
    /// Returns the number of visible tokens; `counts[b]` gets each segment's count.
    func indexVisible(_ mask: [Bool], _ x: UnsafePointer<Float>, _ m: Int, B: Int, ws: Workspace,
                              counts: inout [Int]) throws -> Int {
        let T = config.numPatches, P = config.patchSize
        var k = 0, h = 0
        ws.encOffsets[m][0] = 0
        for b in 0..<B {
            let start = k
            for t in 0..<T {
                let row = b * T + t
                if mask[row] {
                    let patch = x + row * P
                    for i in 0..<P where !patch[i].isFinite {
                        throw ForwardError(reason: "segment \(b): \(m == 0 ? "ECG" : "PPG") sample \(t * P + i) is not finite")
                    }
                    ws.patchRows[m][k] = Int32(row); ws.positions[m][k] = Int32(t); k += 1
                } else {
                    ws.hiddenRows[m][h] = Int32(row); h += 1
                }
            }
            counts[b] = k - start
            ws.encOffsets[m][b + 1] = Int32(k)
        }
        ws.hiddenCount[m] = h
        return k
    }

    /// Patch embedding and encoder of modality m on its N visible tokens; returns (N, d).
    func encode(_ m: Int, _ x: UnsafePointer<Float>, N: Int, B: Int, ws: Workspace) -> UnsafeMutablePointer<Float> {
        let c = config, w = layout.encoders[m], p = UnsafePointer(params.base)
        gatherRowsForward(out: ws.patches[m], inp: x, index: ws.patchRows[m], M: N, C: c.patchSize)
        matmulForward(out: ws.embedded[m], inp: ws.patches[m], weight: p + w.patchw, bias: p + w.patchb,
                      N: N, C: c.patchSize, OC: c.dModel)
        positionEmbeddingForward(out: ws.embedded[m], inp: ws.embedded[m], wpe: p + w.pos, positions: ws.positions[m],
                                 N: N, C: c.dModel)
        modalityEmbeddingForward(out: ws.embedded[m], inp: ws.embedded[m], vec: p + w.modality, N: N, C: c.dModel)
        return stackForward(ws.encoderSlots[m], inp: ws.embedded[m], blocks: w.blocks, params: p,
                            offsets: ws.encOffsets[m], S: B, N: N, C: c.dModel, H: c.mlpRatio * c.dModel,
                            NH: c.encoderHeads)
    }

    /// Shared blocks, LayerNorm, projection to f, mean pool and L2 norm over S sequences;
    /// the fingerprints (S, f) go to `out` (default: the workspace's fingerprint rows).
    func bottleneck(S: Int, Nb: Int, ws: Workspace, out: UnsafeMutablePointer<Float>? = nil) {
        let c = config, w = layout.bottleneck, p = UnsafePointer(params.base)
        let y = stackForward(ws.bottleneckSlots, inp: ws.bottleneckIn, blocks: w.blocks, params: p,
                             offsets: ws.bottleneckOffsets, S: S, N: Nb, C: c.dModel, H: c.mlpRatio * c.dModel,
                             NH: c.encoderHeads)
        layerNormForward(out: ws.bottleneckNorm, mean: ws.bottleneckMean, rstd: ws.bottleneckRstd, inp: y,
                         weight: p + w.normw, bias: p + w.normb, N: Nb, C: c.dModel)
        matmulForward(out: ws.bottleneckTokens, inp: ws.bottleneckNorm, weight: p + w.projw, bias: p + w.projb,
                      N: Nb, C: c.dModel, OC: c.fingerprintDim)
        meanPoolForward(out: ws.pooled, inp: ws.bottleneckTokens, offsets: ws.bottleneckOffsets, B: S, C: c.fingerprintDim)
        l2NormForward(out: out ?? ws.fingerprints, norm: ws.fingerprintNorm, inp: ws.pooled, B: S, C: c.fingerprintDim)
    }

    /// Both decoders: context = every bottleneck token of the segment, then the T tokens of
    /// the decoder's modality (embedded bottleneck token where visible, mask token where
    /// hidden, + position embedding); predictions of every patch into `ws.recon[m]`.
    func decode(_ masks: [[Bool]], counts: [[Int]], N: [Int], B: Int, Nb: Int, ws: Workspace) {
        let c = config, T = c.numPatches, dd = c.decoderDim, p = UnsafePointer(params.base)
        var off: Int32 = 0, r = 0
        ws.decOffsets[0] = 0
        for b in 0..<B {
            let nb = counts[0][b] + counts[1][b]
            for i in 0..<nb { ws.contextRows[r] = off + Int32(i); r += 1 }
            for t in 0..<T { ws.lastRows[b * T + t] = off + Int32(nb + t); ws.tokenPositions[b * T + t] = Int32(t) }
            off += Int32(nb + T)
            ws.decOffsets[b + 1] = off
        }
        for m in 0..<2 {
            let w = layout.decoders[m]
            matmulForward(out: ws.decEmbed[m], inp: ws.bottleneckTokens, weight: p + w.embedw, bias: p + w.embedb,
                          N: Nb, C: c.fingerprintDim, OC: dd)
            // The T-token part: visible rows b·T + t take their embedded bottleneck token.
            gatherRowsForward(out: ws.decVisible[m], inp: ws.decEmbed[m], index: ws.toBottleneck[m], M: N[m], C: dd)
            scatterRowsForward(out: ws.decTokens[m], inp: ws.decVisible[m], index: ws.patchRows[m], M: N[m], C: dd)
            fillRowsForward(out: ws.decTokens[m], token: p + w.maskToken, index: ws.hiddenRows[m], K: ws.hiddenCount[m], C: dd)
            positionEmbeddingForward(out: ws.decTokens[m], inp: ws.decTokens[m], wpe: p + w.pos,
                                     positions: ws.tokenPositions, N: B * T, C: dd)
            scatterRowsForward(out: ws.decIn[m], inp: ws.decEmbed[m], index: ws.contextRows, M: Nb, C: dd)
            scatterRowsForward(out: ws.decIn[m], inp: ws.decTokens[m], index: ws.lastRows, M: B * T, C: dd)
            let y = stackForward(ws.decSlots[m], inp: ws.decIn[m], blocks: w.blocks, params: p, offsets: ws.decOffsets,
                                 S: B, N: Int(off), C: dd, H: c.mlpRatio * dd, NH: c.decoderHeads)
            gatherRowsForward(out: ws.decLast[m], inp: y, index: ws.lastRows, M: B * T, C: dd)
            layerNormForward(out: ws.decNorm[m], mean: ws.decMean[m], rstd: ws.decRstd[m], inp: ws.decLast[m],
                             weight: p + w.normw, bias: p + w.normb, N: B * T, C: dd)
            matmulForward(out: ws.recon[m], inp: ws.decNorm[m], weight: p + w.headw, bias: p + w.headb,
                          N: B * T, C: dd, OC: c.patchSize)
        }
    }
}

/// A forward pass was given inputs it cannot use.
public struct ForwardError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "model forward: \(reason)" }
    package init(reason: String) { self.reason = reason }
}
