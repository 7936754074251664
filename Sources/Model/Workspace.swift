import Signals
import Engine

/// The preallocated activation memory of the M2AE forward pass: one float `Arena` and one
/// Int32 index slab, both sized from the config and the largest batch, so that nothing is
/// allocated per layer call.
///
/// Size letters: B segments (≤ `maxSegments`), T patches per modality, P patch size, d
/// encoder width, dd decoder width, f fingerprint width. Capacities per segment: T tokens
/// per encoder, 4T bottleneck tokens (the three fingerprint modes of `fingerprintsAllModes`:
/// 2T + T + T), 3T decoder tokens (at most 2T context tokens + T tokens of its modality).
///
/// A `.training` workspace keeps one activation slot per block of every stack (what the
/// backward pass reads); an `.inference` workspace shares one slot between all blocks of a
/// stage and between the two encoders and the two decoders (about 1/6 of the memory).
public final class Workspace: @unchecked Sendable {
    /// What the activations are kept for.
    public enum Purpose: Sendable { case inference, training }

    public let config: M2AEConfig
    public let purpose: Purpose
    /// The most segments one forward call may take.
    public let maxSegments: Int
    /// The float activation slab.
    public let arena: Arena
    /// Bytes held by both slabs.
    public var byteCount: Int { arena.count * 4 + indexCount * 4 }

    // MARK: - Views (resolved once)

    /// Per modality (ECG 0, PPG 1): gathered visible patches (B·T, P) and their embedding (B·T, d).
    var patches: [UnsafeMutablePointer<Float>] = []
    var embedded: [UnsafeMutablePointer<Float>] = []
    /// Per modality: the encoder's block slots.
    var encoderSlots: [[BlockActivations]] = []
    /// Per modality: the encoder output (B·T, d), the last slot's res2 after the forward.
    var encoderOut: [UnsafeMutablePointer<Float>] = []
    var bottleneckIn: UnsafeMutablePointer<Float>      // (B·4T, d)
    var bottleneckSlots: [BlockActivations] = []
    var bottleneckNorm: UnsafeMutablePointer<Float>    // (B·4T, d)
    var bottleneckMean: UnsafeMutablePointer<Float>    // (B·4T)
    var bottleneckRstd: UnsafeMutablePointer<Float>    // (B·4T)
    var bottleneckTokens: UnsafeMutablePointer<Float>  // (B·4T, f)  z
    var pooled: UnsafeMutablePointer<Float>            // (3B, f) mean of z per sequence
    package var fingerprints: UnsafeMutablePointer<Float>      // (3B, f) L2-normalised
    var fingerprintNorm: UnsafeMutablePointer<Float>   // (3B)
    /// Per decoder: embedded bottleneck tokens (B·2T, dd), its modality's visible ones (B·T, dd),
    /// its T-token part (B·T, dd), the decoder input (B·3T, dd), the gathered last T tokens
    /// (B·T, dd), their LayerNorm (B·T, dd) + mean/rstd (B·T), and the prediction (B·T, P).
    var decEmbed: [UnsafeMutablePointer<Float>] = []
    var decVisible: [UnsafeMutablePointer<Float>] = []
    var decTokens: [UnsafeMutablePointer<Float>] = []
    var decIn: [UnsafeMutablePointer<Float>] = []
    var decSlots: [[BlockActivations]] = []
    var decLast: [UnsafeMutablePointer<Float>] = []
    var decNorm: [UnsafeMutablePointer<Float>] = []
    var decMean: [UnsafeMutablePointer<Float>] = []
    var decRstd: [UnsafeMutablePointer<Float>] = []
    var recon: [UnsafeMutablePointer<Float>] = []

    // MARK: - Index views (Int32), rebuilt by every forward call

    let indexBase: UnsafeMutablePointer<Int32>
    let indexCount: Int
    var patchRows: [UnsafeMutablePointer<Int32>] = []   // per modality (B·T): b·T + t of visible patches
    var positions: [UnsafeMutablePointer<Int32>] = []   // per modality (B·T): t of visible patches
    var encOffsets: [UnsafeMutablePointer<Int32>] = []  // per modality (B+1)
    var toBottleneck: [UnsafeMutablePointer<Int32>] = []   // per modality (B·T): row in the bottleneck input
    var toBottleneck2: [UnsafeMutablePointer<Int32>] = []  // per modality (B·T): second row (single-modality mode)
    var bottleneckOffsets: UnsafeMutablePointer<Int32>     // (3B+1)
    var decOffsets: UnsafeMutablePointer<Int32>            // (B+1)
    var contextRows: UnsafeMutablePointer<Int32>           // (B·2T): row of each bottleneck token in the decoder input
    var lastRows: UnsafeMutablePointer<Int32>              // (B·T): rows of the T-token part in the decoder input
    var tokenPositions: UnsafeMutablePointer<Int32>        // (B·T): t of each row of the T-token part
    var hiddenRows: [UnsafeMutablePointer<Int32>] = []     // per modality (B·T): b·T + t of hidden patches
    var hiddenCount: [Int] = [0, 0]

    // MARK: - Creation

    /// Allocates the activations for batches of up to `maxSegments` segments.
    public init(config: M2AEConfig, maxSegments: Int, purpose: Purpose = .inference) {
        precondition(maxSegments > 0, "a workspace needs room for at least one segment")
        self.config = config; self.purpose = purpose; self.maxSegments = maxSegments
        let B = maxSegments, T = config.numPatches, P = config.patchSize, d = config.dModel
        let dd = config.decoderDim, f = config.fingerprintDim, r = config.mlpRatio
        let training = purpose == .training
        let modalities = ["ecg", "ppg"]
        var table: [(name: String, count: Int)] = []
        func shared(_ m: String) -> String { training ? m : "shared" }
        for m in modalities where training || m == "ecg" {
            table += [("\(shared(m)).patches", B * T * P), ("\(shared(m)).embedded", B * T * d)]
            for l in 0..<(training ? config.encoderLayers : 1) {
                table += BlockActivations.table("\(shared(m)).enc.\(l)", N: B * T, C: d, H: r * d,
                                                prob: config.encoderHeads * B * T * T)
            }
        }
        let nb = B * 4 * T
        table += [("bottleneck.in", nb * d), ("bottleneck.norm", nb * d), ("bottleneck.mean", nb),
                  ("bottleneck.rstd", nb), ("bottleneck.z", nb * f), ("pooled", 3 * B * f),
                  ("fingerprints", 3 * B * f), ("fingerprintNorm", 3 * B)]
        for l in 0..<(training ? config.sharedLayers : 1) {
            table += BlockActivations.table("bottleneck.\(l)", N: nb, C: d, H: r * d,
                                            prob: config.encoderHeads * B * 6 * T * T)
        }
        for m in modalities {
            table += [("\(m).recon", B * T * P)]
            guard training || m == "ecg" else { continue }
            let s = shared(m)
            table += [("\(s).decEmbed", B * 2 * T * dd), ("\(s).decVisible", B * T * dd),
                      ("\(s).decTokens", B * T * dd), ("\(s).decIn", B * 3 * T * dd),
                      ("\(s).decLast", B * T * dd), ("\(s).decNorm", B * T * dd),
                      ("\(s).decMean", B * T), ("\(s).decRstd", B * T)]
            for l in 0..<(training ? config.decoderLayers : 1) {
                table += BlockActivations.table("\(s).dec.\(l)", N: B * 3 * T, C: dd, H: r * dd,
                                                prob: config.decoderHeads * B * 9 * T * T)
            }
        }
        // Names are unique and counts non-negative by construction.
        arena = Arena(layout: try! ArenaLayout(table))

        // Index slab: sizes in the order the views are carved below.
        let sizes = [3 * B + 1, B + 1, B * 2 * T, B * T, B * T] + [Int](repeating: 5 * B * T + B + 1, count: 2)
        indexCount = sizes.reduce(0, +)
        indexBase = .allocate(capacity: indexCount)
        indexBase.initialize(repeating: 0, count: indexCount)
        var cursor = indexBase
        func carve(_ n: Int) -> UnsafeMutablePointer<Int32> { defer { cursor += n }; return cursor }
        bottleneckOffsets = carve(3 * B + 1); decOffsets = carve(B + 1)
        contextRows = carve(B * 2 * T); lastRows = carve(B * T); tokenPositions = carve(B * T)
        bottleneckIn = arena["bottleneck.in"]; bottleneckNorm = arena["bottleneck.norm"]
        bottleneckMean = arena["bottleneck.mean"]; bottleneckRstd = arena["bottleneck.rstd"]
        bottleneckTokens = arena["bottleneck.z"]; pooled = arena["pooled"]
        fingerprints = arena["fingerprints"]; fingerprintNorm = arena["fingerprintNorm"]
        bottleneckSlots = (0..<(training ? config.sharedLayers : 1)).map { BlockActivations(arena, "bottleneck.\($0)") }
        for _ in modalities {
            patchRows.append(carve(B * T)); positions.append(carve(B * T)); encOffsets.append(carve(B + 1))
            toBottleneck.append(carve(B * T)); toBottleneck2.append(carve(B * T)); hiddenRows.append(carve(B * T))
        }
        for m in modalities {
            let s = shared(m)
            patches.append(arena["\(s).patches"]); embedded.append(arena["\(s).embedded"])
            let enc = (0..<(training ? config.encoderLayers : 1)).map { BlockActivations(arena, "\(s).enc.\($0)") }
            encoderSlots.append(enc)
            encoderOut.append(enc[(config.encoderLayers - 1) % enc.count].res2)
            decEmbed.append(arena["\(s).decEmbed"]); decVisible.append(arena["\(s).decVisible"])
            decTokens.append(arena["\(s).decTokens"]); decIn.append(arena["\(s).decIn"])
            decSlots.append((0..<(training ? config.decoderLayers : 1)).map { BlockActivations(arena, "\(s).dec.\($0)") })
            decLast.append(arena["\(s).decLast"]); decNorm.append(arena["\(s).decNorm"])
            decMean.append(arena["\(s).decMean"]); decRstd.append(arena["\(s).decRstd"])
            recon.append(arena["\(m).recon"])
        }
    }

    deinit { indexBase.deallocate() }

    // MARK: - Results of the last forward call

    /// The first `rows` fingerprints (rows, f): B rows after `forward`, 3B after
    /// `fingerprintsAllModes`.
    public func fingerprintRows(_ rows: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: fingerprints, count: rows * config.fingerprintDim))
    }

    /// A decoder's predictions of every patch of the first `segments` segments (segments, T·P).
    public func reconstruction(_ m: Modality, segments: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: recon[m == .ecg ? 0 : 1], count: segments * config.segmentSamples))
    }

    /// A modality encoder's output (tokens, d), packed; meaningful for a `.training` workspace
    /// (an inference workspace reuses the buffer for the other encoder).
    public func encoderOutput(_ m: Modality, tokens: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: encoderOut[m == .ecg ? 0 : 1], count: tokens * config.dModel))
    }

    /// The bottleneck tokens z (tokens, f), packed.
    public func bottleneckOutput(tokens: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: bottleneckTokens, count: tokens * config.fingerprintDim))
    }
}
