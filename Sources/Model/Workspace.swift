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

    /// Per modality: gathered visible patches (B·T, P) and their embedding (B·T, d).
    let patches: PerModality<UnsafeMutablePointer<Float>>
    let embedded: PerModality<UnsafeMutablePointer<Float>>
    /// Per modality: the encoder's block slots.
    let encoderSlots: PerModality<[BlockActivations]>
    /// Per modality: the encoder output (B·T, d), the last slot's res2 after the forward.
    let encoderOut: PerModality<UnsafeMutablePointer<Float>>
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
    let decEmbed: PerModality<UnsafeMutablePointer<Float>>
    let decVisible: PerModality<UnsafeMutablePointer<Float>>
    let decTokens: PerModality<UnsafeMutablePointer<Float>>
    let decIn: PerModality<UnsafeMutablePointer<Float>>
    let decSlots: PerModality<[BlockActivations]>
    let decLast: PerModality<UnsafeMutablePointer<Float>>
    let decNorm: PerModality<UnsafeMutablePointer<Float>>
    let decMean: PerModality<UnsafeMutablePointer<Float>>
    let decRstd: PerModality<UnsafeMutablePointer<Float>>
    let recon: PerModality<UnsafeMutablePointer<Float>>

    // MARK: - Index views (Int32), rebuilt by every forward call

    let indexBase: UnsafeMutablePointer<Int32>
    let indexCount: Int
    let patchRows: PerModality<UnsafeMutablePointer<Int32>>    // (B·T): b·T + t of visible patches
    let positions: PerModality<UnsafeMutablePointer<Int32>>    // (B·T): t of visible patches
    let encOffsets: PerModality<UnsafeMutablePointer<Int32>>   // (B+1)
    let toBottleneck: PerModality<UnsafeMutablePointer<Int32>> // (B·T): row in the bottleneck input (joint sequence)
    let toSingleModalityBottleneck: PerModality<UnsafeMutablePointer<Int32>>  // (B·T): row in its single-modality sequence (fingerprintsAllModes)
    var bottleneckOffsets: UnsafeMutablePointer<Int32>     // (3B+1)
    var decOffsets: UnsafeMutablePointer<Int32>            // (B+1)
    var contextRows: UnsafeMutablePointer<Int32>           // (B·2T): row of each bottleneck token in the decoder input
    var lastRows: UnsafeMutablePointer<Int32>              // (B·T): rows of the T-token part in the decoder input
    var tokenPositions: UnsafeMutablePointer<Int32>        // (B·T): t of each row of the T-token part
    let hiddenRows: PerModality<UnsafeMutablePointer<Int32>>   // (B·T): b·T + t of hidden patches
    var hiddenCount = PerModality(ecg: 0, ppg: 0)

    // MARK: - Creation

    /// Allocates the activations for batches of up to `maxSegments` segments.
    public init(config: M2AEConfig, maxSegments: Int, purpose: Purpose = .inference) {
        precondition(maxSegments > 0, "a workspace needs room for at least one segment")
        self.config = config; self.purpose = purpose; self.maxSegments = maxSegments
        let B = maxSegments, T = config.numPatches, P = config.patchSize, d = config.dModel
        let dd = config.decoderDim, f = config.fingerprintDim, r = config.mlpRatio
        let training = purpose == .training
        var table: [(name: String, count: Int)] = []
        // An inference workspace shares the encoder and decoder activations between the modalities.
        func shared(_ m: Modality) -> String { training ? m.rawValue : "shared" }
        for m in Modality.allCases where training || m == .ecg {
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
        for m in Modality.allCases {
            table += [("\(m.rawValue).recon", B * T * P)]
            guard training || m == .ecg else { continue }
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
        let slab = arena
        bottleneckSlots = (0..<(training ? config.sharedLayers : 1)).map { BlockActivations(slab, "bottleneck.\($0)") }
        // Per modality, ECG first: patchRows, positions, encOffsets, toBottleneck,
        // toSingleModalityBottleneck, hiddenRows.
        let rows = PerModality { _ in
            (carve(B * T), carve(B * T), carve(B + 1), carve(B * T), carve(B * T), carve(B * T))
        }
        patchRows = rows.map(\.0); positions = rows.map(\.1); encOffsets = rows.map(\.2)
        toBottleneck = rows.map(\.3); toSingleModalityBottleneck = rows.map(\.4); hiddenRows = rows.map(\.5)
        func views(_ name: String) -> PerModality<UnsafeMutablePointer<Float>> { PerModality { slab["\(shared($0)).\(name)"] } }
        patches = views("patches"); embedded = views("embedded")
        let enc = PerModality { m in (0..<(training ? config.encoderLayers : 1)).map { BlockActivations(slab, "\(shared(m)).enc.\($0)") } }
        encoderSlots = enc
        encoderOut = enc.map { $0[(config.encoderLayers - 1) % $0.count].res2 }
        decEmbed = views("decEmbed"); decVisible = views("decVisible"); decTokens = views("decTokens"); decIn = views("decIn")
        decSlots = PerModality { m in (0..<(training ? config.decoderLayers : 1)).map { BlockActivations(slab, "\(shared(m)).dec.\($0)") } }
        decLast = views("decLast"); decNorm = views("decNorm"); decMean = views("decMean"); decRstd = views("decRstd")
        recon = PerModality { slab["\($0.rawValue).recon"] }
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
        Array(UnsafeBufferPointer(start: recon[m], count: segments * config.segmentSamples))
    }

    /// A modality encoder's output (tokens, d), packed; meaningful for a `.training` workspace
    /// (an inference workspace reuses the buffer for the other encoder).
    public func encoderOutput(_ m: Modality, tokens: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: encoderOut[m], count: tokens * config.dModel))
    }

    /// The bottleneck tokens z (tokens, f), packed.
    public func bottleneckOutput(tokens: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: bottleneckTokens, count: tokens * config.fingerprintDim))
    }
}
