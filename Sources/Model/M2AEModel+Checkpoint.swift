import Foundation

// MARK: - Checkpoints (safetensors)
//
// A checkpoint is a safetensors file holding every tensor of `ParameterLayout` as F32 under
// its PyTorch name, with `__metadata__` = {"format": "m2ae", "format_version": "1",
// "config": <M2AEConfig JSON>}. reference/m2ae.py reads and writes the same files.

extension M2AEModel {
    /// The `format` metadata value of an M2AE checkpoint.
    public static let checkpointFormat = "m2ae"
    /// The `format_version` this code reads and writes.
    public static let checkpointVersion = "1"

    /// Loads a checkpoint, checking its metadata, config, every tensor's presence and shape,
    /// that no unknown tensor is present, and that every value is finite.
    /// - Throws: `CheckpointError` naming the file and the problem.
    public convenience init(checkpoint url: URL) throws {
        func fail(_ reason: String) -> CheckpointError { CheckpointError(path: url.path, reason: reason) }
        guard FileManager.default.fileExists(atPath: url.path) else { throw CheckpointError.missing(path: url.path) }
        let file: SafetensorsFile
        do { file = try SafetensorsFile(url: url) } catch let e as SafetensorsError {
            throw fail(e.reason)
        }
        guard file.metadata["format"] == Self.checkpointFormat else {
            throw fail("not an M2AE checkpoint (metadata 'format' is \(file.metadata["format"].map { "'\($0)'" } ?? "absent"), expected 'm2ae')")
        }
        guard file.metadata["format_version"] == Self.checkpointVersion else {
            throw fail("checkpoint format_version \(file.metadata["format_version"] ?? "absent") is not supported (expected \(Self.checkpointVersion))")
        }
        guard let json = file.metadata["config"] else { throw fail("metadata has no 'config'") }
        let config: M2AEConfig
        do { config = try M2AEConfig.parse(json: json) } catch let e as ConfigError { throw fail(e.description) }
        // Every tensor is checked against the config before the model is allocated: the file
        // (whose tensor sizes were checked against its length) then bounds the allocation, not
        // the config's numbers (4,096 layers of width 4,096 would ask for terabytes).
        let expected = ParameterLayout(config)
        for e in expected.entries {
            guard let t = file.tensors[e.name] else { throw fail("tensor '\(e.name)' is missing") }
            guard t.shape == e.shape else {
                throw fail("tensor '\(e.name)' has shape \(t.shape), the config needs \(e.shape)")
            }
        }
        let known = Set(expected.entries.map(\.name))
        if let extra = file.tensors.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail("unexpected tensor '\(extra)' (not part of a '\(config.name)' M2AE)")
        }
        try self.init(config: config)
        for e in layout.entries {
            do { try file.read(e.name, into: params.base + e.offset, count: e.count) } catch let err as SafetensorsError {
                throw fail(err.reason)
            }
            let p = params.base + e.offset
            for i in 0..<e.count where !p[i].isFinite {
                throw fail("tensor '\(e.name)' holds a non-finite value (\(p[i])) at element \(i)")
            }
        }
    }

    /// Writes the model as a checkpoint, atomically (temporary sibling, then rename) unless
    /// `atomically` is false (`url` is then the caller's own temporary file).
    public func save(to url: URL, atomically: Bool = true) throws {
        let tensors = layout.entries.map { e in
            SafetensorsFile.Tensor(name: e.name, shape: e.shape,
                                   values: UnsafeBufferPointer(start: params.base + e.offset, count: e.count))
        }
        try SafetensorsFile.write(to: url, tensors: tensors,
                                  metadata: ["format": Self.checkpointFormat, "format_version": Self.checkpointVersion,
                                             "config": config.json()], atomically: atomically)
    }
}

/// A checkpoint cannot be used: not there (`missing`), or there but unreadable, not M2AE, of
/// a wrong config, with a tensor missing, of the wrong shape or holding NaN/inf (`invalid`).
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// There is no file at `path`.
    case missing(path: String)
    /// The file is there but is not a usable checkpoint (`reason` says why).
    case invalid(path: String, reason: String)

    /// An `invalid` error.
    public init(path: String, reason: String) { self = .invalid(path: path, reason: reason) }

    /// The checkpoint's path as given.
    public var path: String {
        switch self { case .missing(let path), .invalid(let path, _): path }
    }

    /// What is wrong, without the path.
    public var reason: String {
        switch self {
        case .missing: "cannot open the file"
        case .invalid(_, let reason): reason
        }
    }

    public var description: String { "\(path): \(reason)" }
}
