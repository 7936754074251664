import Engine
import Signals

/// The preallocated activation-gradient memory of the M2AE backward pass (llm.c's
/// `grads_acts`): one float `Arena` sized from the config and the largest batch, the
/// companion of a `.training` `Workspace`.
///
/// Size letters as in `Workspace`: B segments (≤ `maxSegments`), T patches, P patch size,
/// d encoder width, dd decoder width, f fingerprint width, r MLP ratio. Block gradients are
/// not kept per block: the backward pass runs one block at a time, so one scratch set sized
/// for the widest stack (the bottleneck, ≤ 4T tokens per segment) serves every block.
public final class ActivationGradients: @unchecked Sendable {
    public let config: M2AEConfig
    /// The most segments one backward call may take.
    public let maxSegments: Int
    /// The float slab.
    public let arena: Arena

    // MARK: - Loss inputs (written by the objective before `backward`)

    /// Per modality: ∂loss/∂prediction of every patch (B·T, P).
    package var dRecon: PerModality<UnsafeMutablePointer<Float>>
    /// ∂loss/∂fingerprint of every bottleneck sequence (3B, f), rows as in `TrainingPass`.
    package var dFingerprints: UnsafeMutablePointer<Float>

    // MARK: - Stage gradients

    var dDecNorm: UnsafeMutablePointer<Float>     // (B·T, dd)
    var dDecLast: UnsafeMutablePointer<Float>     // (B·T, dd)
    var dDecY: UnsafeMutablePointer<Float>        // (B·3T, dd) decoder stack output
    var dDecIn: UnsafeMutablePointer<Float>       // (B·3T, dd) decoder stack input
    var dDecEmbed: UnsafeMutablePointer<Float>    // (B·2T, dd)
    var dDecTokens: UnsafeMutablePointer<Float>   // (B·T, dd)
    var dDecVisible: UnsafeMutablePointer<Float>  // (B·T, dd)
    var dPooled: UnsafeMutablePointer<Float>      // (3B, f)
    var dZ: UnsafeMutablePointer<Float>           // (B·4T, f) bottleneck tokens
    var dBNorm: UnsafeMutablePointer<Float>       // (B·4T, d)
    var dBY: UnsafeMutablePointer<Float>          // (B·4T, d) bottleneck stack output
    var dBIn: UnsafeMutablePointer<Float>         // (B·4T, d) bottleneck stack input
    var dEncOut: UnsafeMutablePointer<Float>      // (B·T, d)
    var dEmbedded: UnsafeMutablePointer<Float>    // (B·T, d)

    // MARK: - Block scratch (one block at a time; N ≤ B·4T rows of width ≤ d)

    var ping: UnsafeMutablePointer<Float>         // (B·4T, d) gradient between blocks
    var pong: UnsafeMutablePointer<Float>         // (B·4T, d)
    var dRes1: UnsafeMutablePointer<Float>        // (B·4T, d)
    var dLn2: UnsafeMutablePointer<Float>         // (B·4T, d)
    var dAtty: UnsafeMutablePointer<Float>        // (B·4T, d)
    var dLn1: UnsafeMutablePointer<Float>         // (B·4T, d)
    var dQKV: UnsafeMutablePointer<Float>         // (B·4T, 3d)
    var dFc1: UnsafeMutablePointer<Float>         // (B·4T, r·d)
    var dGelu: UnsafeMutablePointer<Float>        // (B·4T, r·d)
    var attScratch: UnsafeMutablePointer<Float>   // ((3T)²) the longest sequence's L²

    /// Allocates the gradients for batches of up to `maxSegments` segments.
    public init(config: M2AEConfig, maxSegments: Int) {
        precondition(maxSegments > 0, "activation gradients need room for at least one segment")
        self.config = config; self.maxSegments = maxSegments
        let B = maxSegments, T = config.numPatches, P = config.patchSize, d = config.dModel
        let dd = config.decoderDim, f = config.fingerprintDim, H = config.mlpRatio * max(d, dd)
        let nb = B * 4 * T, w = max(d, dd)
        let table: [(name: String, count: Int)] = [
            ("dRecon.ecg", B * T * P), ("dRecon.ppg", B * T * P), ("dFingerprints", 3 * B * f),
            ("dDecNorm", B * T * dd), ("dDecLast", B * T * dd), ("dDecY", B * 3 * T * dd), ("dDecIn", B * 3 * T * dd),
            ("dDecEmbed", B * 2 * T * dd), ("dDecTokens", B * T * dd), ("dDecVisible", B * T * dd),
            ("dPooled", 3 * B * f), ("dZ", nb * f), ("dBNorm", nb * d), ("dBY", nb * d), ("dBIn", nb * d),
            ("dEncOut", B * T * d), ("dEmbedded", B * T * d),
            ("ping", nb * w), ("pong", nb * w), ("dRes1", nb * w), ("dLn2", nb * w), ("dAtty", nb * w),
            ("dLn1", nb * w), ("dQKV", 3 * nb * w), ("dFc1", nb * H), ("dGelu", nb * H), ("attScratch", 9 * T * T),
        ]
        // Names are unique and counts non-negative by construction.
        arena = Arena(layout: try! ArenaLayout(table))
        dRecon = PerModality(ecg: arena["dRecon.ecg"], ppg: arena["dRecon.ppg"]); dFingerprints = arena["dFingerprints"]
        dDecNorm = arena["dDecNorm"]; dDecLast = arena["dDecLast"]; dDecY = arena["dDecY"]; dDecIn = arena["dDecIn"]
        dDecEmbed = arena["dDecEmbed"]; dDecTokens = arena["dDecTokens"]; dDecVisible = arena["dDecVisible"]
        dPooled = arena["dPooled"]; dZ = arena["dZ"]; dBNorm = arena["dBNorm"]; dBY = arena["dBY"]; dBIn = arena["dBIn"]
        dEncOut = arena["dEncOut"]; dEmbedded = arena["dEmbedded"]
        ping = arena["ping"]; pong = arena["pong"]; dRes1 = arena["dRes1"]; dLn2 = arena["dLn2"]
        dAtty = arena["dAtty"]; dLn1 = arena["dLn1"]; dQKV = arena["dQKV"]; dFc1 = arena["dFc1"]; dGelu = arena["dGelu"]
        attScratch = arena["attScratch"]
    }

    /// Bytes held by the slab.
    public var byteCount: Int { arena.count * 4 }
}
