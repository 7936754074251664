import Engine
import Signals

/// The size table of every M2AE parameter tensor: PyTorch names, shapes and offsets into the
/// one flat parameter slab (llm.c's `ParameterTensors`), laid out exactly as the engine's
/// `ArenaLayout` places them (64-byte aligned views). The same table sizes the gradient and
/// AdamW slabs of the trainer. Built once from a config; the named offset structs
/// (`encoders`, `bottleneck`, `decoders`) are what the forward pass reads.
public struct ParameterLayout: Sendable {
    /// One tensor of the table.
    public struct Entry: Sendable, Equatable {
        /// PyTorch state-dict name, e.g. `ecg.encoder.0.attn.qkv.weight`.
        public var name: String
        /// Shape as PyTorch stores it (`nn.Linear` weights are [out, in]).
        public var shape: [Int]
        /// Offset in floats into the slab (a multiple of `ArenaLayout.alignmentFloats`).
        public var offset: Int
        /// Number of floats.
        public var count: Int { shape.reduce(1, *) }
        /// True for matrices (weight decay applies to them only: docs/model.md, "Training objective").
        public var isMatrix: Bool { shape.count == 2 && !name.hasSuffix("pos_embed") }
    }

    /// Offsets of one pre-norm transformer block's tensors (width C, MLP width H).
    public struct Block: Sendable {
        public var ln1w = 0, ln1b = 0       // (C) (C)
        public var qkvw = 0, qkvb = 0       // (3C, C) (3C)
        public var projw = 0, projb = 0     // (C, C) (C)
        public var ln2w = 0, ln2b = 0       // (C) (C)
        public var fc1w = 0, fc1b = 0       // (H, C) (H)
        public var fc2w = 0, fc2b = 0       // (C, H) (C)
    }

    /// Offsets of one modality's patch embedding and encoder.
    public struct Encoder: Sendable {
        public var patchw = 0, patchb = 0   // (d, P) (d)
        public var pos = 0                  // (T, d)
        public var modality = 0             // (d)
        public var blocks: [Block] = []
    }

    /// Offsets of the shared bottleneck.
    public struct Bottleneck: Sendable {
        public var blocks: [Block] = []
        public var normw = 0, normb = 0     // (d) (d)
        public var projw = 0, projb = 0     // (f, d) (f)
    }

    /// Offsets of one modality's decoder.
    public struct Decoder: Sendable {
        public var embedw = 0, embedb = 0   // (d_dec, f) (d_dec)
        public var maskToken = 0            // (d_dec)
        public var pos = 0                  // (T, d_dec)
        public var blocks: [Block] = []
        public var normw = 0, normb = 0     // (d_dec) (d_dec)
        public var headw = 0, headb = 0     // (P, d_dec) (P)
    }

    /// Every tensor in slab order.
    public private(set) var entries: [Entry] = []
    /// The modality encoders.
    public private(set) var encoders = PerModality(ecg: Encoder(), ppg: Encoder())
    public private(set) var bottleneck = Bottleneck()
    /// The modality decoders.
    public private(set) var decoders = PerModality(ecg: Decoder(), ppg: Decoder())
    /// Total floats in the slab, alignment padding included.
    public private(set) var count = 0
    /// Floats that are parameters (padding excluded).
    public var parameterCount: Int { entries.reduce(0) { $0 + $1.count } }

    /// The engine arena layout of this table (same names, counts and offsets).
    public var arenaLayout: ArenaLayout {
        // The table has unique, non-empty names and non-negative counts by construction.
        try! ArenaLayout(entries.map { ($0.name, $0.count) })
    }

    /// Lays out every tensor of a model with this (validated) config.
    public init(_ c: M2AEConfig) {
        let d = c.dModel, P = c.patchSize, T = c.numPatches, f = c.fingerprintDim, dd = c.decoderDim
        // PyTorch names: "<modality>." for encoders, "<modality>_decoder." for decoders.
        for modality in Modality.allCases {
            let m = modality.rawValue
            var e = Encoder()
            e.patchw = add("\(m).patch_embed.weight", [d, P]); e.patchb = add("\(m).patch_embed.bias", [d])
            e.pos = add("\(m).pos_embed", [T, d]); e.modality = add("\(m).modality_embed", [d])
            e.blocks = (0..<c.encoderLayers).map { addBlock("\(m).encoder.\($0)", d, d * c.mlpRatio) }
            encoders[modality] = e
        }
        bottleneck.blocks = (0..<c.sharedLayers).map { addBlock("bottleneck.blocks.\($0)", d, d * c.mlpRatio) }
        bottleneck.normw = add("bottleneck.norm.weight", [d]); bottleneck.normb = add("bottleneck.norm.bias", [d])
        bottleneck.projw = add("bottleneck.proj.weight", [f, d]); bottleneck.projb = add("bottleneck.proj.bias", [f])
        for modality in Modality.allCases {
            let m = modality.rawValue
            var r = Decoder()
            r.embedw = add("\(m)_decoder.embed.weight", [dd, f]); r.embedb = add("\(m)_decoder.embed.bias", [dd])
            r.maskToken = add("\(m)_decoder.mask_token", [dd]); r.pos = add("\(m)_decoder.pos_embed", [T, dd])
            r.blocks = (0..<c.decoderLayers).map { addBlock("\(m)_decoder.blocks.\($0)", dd, dd * c.mlpRatio) }
            r.normw = add("\(m)_decoder.norm.weight", [dd]); r.normb = add("\(m)_decoder.norm.bias", [dd])
            r.headw = add("\(m)_decoder.head.weight", [P, dd]); r.headb = add("\(m)_decoder.head.bias", [P])
            decoders[modality] = r
        }
    }

    /// The entry with this name, or nil.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    // MARK: - Internal API

    private mutating func add(_ name: String, _ shape: [Int]) -> Int {
        let e = Entry(name: name, shape: shape, offset: count)
        entries.append(e)
        let a = ArenaLayout.alignmentFloats
        count += (e.count + a - 1) / a * a
        return e.offset
    }

    private mutating func addBlock(_ prefix: String, _ C: Int, _ H: Int) -> Block {
        var b = Block()
        b.ln1w = add("\(prefix).ln1.weight", [C]); b.ln1b = add("\(prefix).ln1.bias", [C])
        b.qkvw = add("\(prefix).attn.qkv.weight", [3 * C, C]); b.qkvb = add("\(prefix).attn.qkv.bias", [3 * C])
        b.projw = add("\(prefix).attn.proj.weight", [C, C]); b.projb = add("\(prefix).attn.proj.bias", [C])
        b.ln2w = add("\(prefix).ln2.weight", [C]); b.ln2b = add("\(prefix).ln2.bias", [C])
        b.fc1w = add("\(prefix).mlp.fc1.weight", [H, C]); b.fc1b = add("\(prefix).mlp.fc1.bias", [H])
        b.fc2w = add("\(prefix).mlp.fc2.weight", [C, H]); b.fc2b = add("\(prefix).mlp.fc2.bias", [C])
        return b
    }
}
