import Foundation

/// The hyper-parameters of an M2AE model (docs/model.md, "Architecture"): everything needed to
/// size its parameters and activations. Travels as JSON in a checkpoint's `__metadata__`
/// (key `config`, snake_case keys, the same object the PyTorch reference reads).
public struct M2AEConfig: Codable, Sendable, Equatable {
    /// Preset name ("small", "tiny") or "custom".
    public var name: String
    /// P: samples per patch (25 = 0.2 s at 125 Hz).
    public var patchSize: Int
    /// T: patches (tokens) per modality per segment (50).
    public var numPatches: Int
    /// d: width of the modality encoders and the shared bottleneck blocks.
    public var dModel: Int
    /// L_e: transformer blocks per modality encoder.
    public var encoderLayers: Int
    /// Attention heads of the encoder and bottleneck blocks.
    public var encoderHeads: Int
    /// L_s: shared bottleneck blocks.
    public var sharedLayers: Int
    /// f: fingerprint (bottleneck output) width.
    public var fingerprintDim: Int
    /// d_dec: decoder width.
    public var decoderDim: Int
    /// L_d: blocks per decoder.
    public var decoderLayers: Int
    /// Attention heads of the decoder blocks.
    public var decoderHeads: Int
    /// MLP hidden width as a multiple of the block width (4).
    public var mlpRatio: Int

    enum CodingKeys: String, CodingKey {
        case name, patchSize = "patch_size", numPatches = "num_patches", dModel = "d_model"
        case encoderLayers = "encoder_layers", encoderHeads = "encoder_heads"
        case sharedLayers = "shared_layers", fingerprintDim = "fingerprint_dim"
        case decoderDim = "decoder_dim", decoderLayers = "decoder_layers"
        case decoderHeads = "decoder_heads", mlpRatio = "mlp_ratio"
    }

    /// Creates a configuration; call `validate()` before sizing anything from it.
    public init(name: String, patchSize: Int = 25, numPatches: Int = 50, dModel: Int, encoderLayers: Int,
                encoderHeads: Int, sharedLayers: Int, fingerprintDim: Int, decoderDim: Int,
                decoderLayers: Int, decoderHeads: Int, mlpRatio: Int = 4) {
        self.name = name; self.patchSize = patchSize; self.numPatches = numPatches; self.dModel = dModel
        self.encoderLayers = encoderLayers; self.encoderHeads = encoderHeads
        self.sharedLayers = sharedLayers; self.fingerprintDim = fingerprintDim
        self.decoderDim = decoderDim; self.decoderLayers = decoderLayers
        self.decoderHeads = decoderHeads; self.mlpRatio = mlpRatio
    }

    // MARK: - Presets

    /// The default model (docs/model.md, "Architecture", column "small").
    public static let small = M2AEConfig(name: "small", dModel: 128, encoderLayers: 3, encoderHeads: 4,
                                         sharedLayers: 2, fingerprintDim: 128, decoderDim: 64,
                                         decoderLayers: 1, decoderHeads: 2)
    /// The test model (docs/model.md, "Architecture", column "tiny").
    public static let tiny = M2AEConfig(name: "tiny", dModel: 32, encoderLayers: 1, encoderHeads: 2,
                                        sharedLayers: 1, fingerprintDim: 16, decoderDim: 16,
                                        decoderLayers: 1, decoderHeads: 1)

    /// The preset with this name, or nil.
    public static func preset(_ name: String) -> M2AEConfig? {
        switch name { case "small": .small; case "tiny": .tiny; default: nil }
    }

    // MARK: - Derived sizes

    /// Samples per modality per segment (P·T, 1,250).
    public var segmentSamples: Int { patchSize * numPatches }

    // MARK: - Validation

    /// Checks that every size is positive and bounded, that heads divide their widths and
    /// that a segment is P·T = 1,250 samples; the thrown error names the offending field.
    public func validate() throws {
        func need(_ ok: Bool, _ what: String) throws { if !ok { throw ConfigError(reason: what) } }
        for (v, n) in [(patchSize, "patch_size"), (numPatches, "num_patches"), (dModel, "d_model"),
                       (encoderLayers, "encoder_layers"), (encoderHeads, "encoder_heads"),
                       (fingerprintDim, "fingerprint_dim"), (decoderDim, "decoder_dim"),
                       (decoderLayers, "decoder_layers"), (decoderHeads, "decoder_heads"),
                       (mlpRatio, "mlp_ratio")] {
            try need(v > 0 && v <= 4096, "\(n) = \(v) must be in 1...4096")
        }
        try need(sharedLayers >= 1 && sharedLayers <= 4096, "shared_layers = \(sharedLayers) must be in 1...4096")
        try need(dModel % encoderHeads == 0, "encoder_heads = \(encoderHeads) must divide d_model = \(dModel)")
        try need(decoderDim % decoderHeads == 0, "decoder_heads = \(decoderHeads) must divide decoder_dim = \(decoderDim)")
        try need(patchSize * numPatches == 1250,
                 "patch_size × num_patches = \(patchSize * numPatches) must be 1250 (10 s at 125 Hz)")
    }

    /// The configuration as compact JSON with sorted keys (the checkpoint metadata form).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding a struct of strings and integers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Parses and validates a configuration from JSON.
    public static func parse(json: String) throws -> M2AEConfig {
        let config: M2AEConfig
        do { config = try JSONDecoder().decode(M2AEConfig.self, from: Data(json.utf8)) } catch {
            throw ConfigError(reason: "config JSON is malformed (\(error))")
        }
        try config.validate()
        return config
    }
}

/// A configuration is malformed or inconsistent.
public struct ConfigError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "invalid model config: \(reason)" }
}
