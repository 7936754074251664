import Engine
import Foundation
import Support

/// An M2AE model: its config, the parameter size table and the one parameter slab.
///
/// The forward passes live in `M2AEModel+Forward.swift`, checkpoint I/O in
/// `M2AEModel+Checkpoint.swift`. The slab is an engine `Arena` built from
/// `layout.arenaLayout`, so the trainer's gradient and AdamW arenas line up with it.
public final class M2AEModel: @unchecked Sendable {
    public let config: M2AEConfig
    public let layout: ParameterLayout
    /// Every parameter, in `layout` order.
    public let params: Arena

    /// A model with every parameter zero (a checkpoint load or an init fills it).
    /// - Throws: `ConfigError` for an invalid config.
    public init(config: M2AEConfig) throws {
        try config.validate()
        self.config = config
        layout = ParameterLayout(config)
        params = Arena(layout: layout.arenaLayout)
    }

    /// A freshly initialised model, the same recipe as the PyTorch reference's `init_weights`
    /// (MAE's): `nn.Linear` weight matrices Xavier-uniform, U(±√(6 / (fan_in + fan_out))); the
    /// position embeddings the fixed 1-D sine-cosine table (`sineCosine`; they stay trainable);
    /// modality embeddings and mask tokens N(0, 0.02); biases 0; LayerNorm gains 1.
    /// Deterministic for a given seed.
    ///
    /// Why not GPT-2's N(0, 0.02) everywhere (measured, docs/training.md): at these widths it
    /// makes the signal content ~1 % of what reaches the decoders, and the masked-reconstruction
    /// loss stayed at the predict-zero level (MSE 1.0) through 500+ steps; with this recipe the
    /// PPG loss left it after ~350 steps in the same run.
    public static func random(config: M2AEConfig, seed: UInt64) throws -> M2AEModel {
        let model = try M2AEModel(config: config)
        var rng = SplitMix64(state: seed)
        for e in model.layout.entries {
            let p = model.params.base + e.offset
            if e.name.hasSuffix("pos_embed") {
                sineCosine(rows: e.shape[0], width: e.shape[1], into: p)
            } else if e.isMatrix {
                let bound = Float((6 / Double(e.shape[0] + e.shape[1])).squareRoot())
                for i in 0..<e.count { p[i] = Float.random(in: -bound...bound, using: &rng) }
            } else if e.name.hasSuffix("bias") {
                p.update(repeating: 0, count: e.count)
            } else if e.name.contains(".ln") || e.name.hasSuffix("norm.weight") {
                p.update(repeating: 1, count: e.count)
            } else {
                for i in 0..<e.count { p[i] = 0.02 * rng.nextGaussian() }
            }
        }
        return model
    }

    /// The 1-D sine-cosine position table of a Transformer (Vaswani et al. 2017), MAE layout:
    /// row t is [sin(t·ω_0) … sin(t·ω_{w/2-1}), cos(t·ω_0) … cos(t·ω_{w/2-1})],
    /// ω_i = 10000^(-2i/w). An odd width leaves its last column 0.
    static func sineCosine(rows: Int, width: Int, into p: UnsafeMutablePointer<Float>) {
        let half = width / 2
        p.update(repeating: 0, count: rows * width)
        for t in 0..<rows {
            for i in 0..<half {
                let angle = Double(t) * pow(10_000, -2 * Double(i) / Double(width))
                p[t * width + i] = Float(sin(angle))
                p[t * width + half + i] = Float(cos(angle))
            }
        }
    }

    /// The values of one tensor by its PyTorch name; nil when there is no such tensor.
    public func tensor(_ name: String) -> UnsafeMutableBufferPointer<Float>? {
        layout.entry(named: name).map { UnsafeMutableBufferPointer(start: params.base + $0.offset, count: $0.count) }
    }

    /// A stable short id: 12 hex digits of an FNV-1a 64 hash over the config JSON and every
    /// tensor's name, shape and bytes. Equal checkpoints give equal ids on every machine.
    ///
    /// Computed on the first read and kept: code that writes parameters through `params` or
    /// `tensor(_:)` after that calls `parametersDidChange()` (the optimiser does).
    /// - Complexity: O(parameters) on the first read after a change (7 MB for `small`), then O(1).
    public var id: String {
        idLock.withLock {
            if let cachedID { return cachedID }
            let id = hashID()
            cachedID = id
            return id
        }
    }

    /// Forgets the cached `id`, so the next read hashes the parameters again.
    public func parametersDidChange() { idLock.withLock { cachedID = nil } }

    private let idLock = NSLock()
    private var cachedID: String?

    private func hashID() -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: UnsafeRawBufferPointer) {
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        }
        var text = config.json()
        text.withUTF8 { mix(UnsafeRawBufferPointer($0)) }
        for e in layout.entries {
            var header = "\(e.name)\(e.shape)"
            header.withUTF8 { mix(UnsafeRawBufferPointer($0)) }
            mix(UnsafeRawBufferPointer(start: params.base + e.offset, count: e.count * 4))
        }
        return String(String(h, radix: 16).leftPadded(to: 16).prefix(12))
    }
}

extension String {
    /// The string left-padded with zeros to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
