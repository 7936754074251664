import Foundation
import Store

/// A safetensors file (the Hugging Face format PyTorch checkpoints use): an 8-byte
/// little-endian header length n, n bytes of JSON (`name → {dtype, shape, data_offsets}`
/// plus an optional `__metadata__` string map), then the raw little-endian tensor bytes.
///
/// Opening reads and checks only the header; tensors are read one at a time by offset, so a
/// file is never loaded whole. Every length and offset is checked against the file size
/// before anything is allocated: a truncated or hostile file gets a `SafetensorsError`, never
/// a crash or a huge allocation.
public struct SafetensorsFile: Sendable {
    /// One tensor's header entry.
    public struct TensorInfo: Sendable, Equatable {
        public var dtype: String
        public var shape: [Int]
        /// Byte range relative to the start of the data section.
        public var begin: Int, end: Int
        /// Number of elements (product of the shape).
        public var count: Int { shape.reduce(1, *) }
    }

    /// Largest header accepted (the format's own reference reader uses 100 MB).
    public static let maxHeaderBytes = 100_000_000
    /// Bytes per element of every dtype the format defines.
    static let elementBytes: [String: Int] = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4,
                                              "I16": 2, "I8": 1, "U8": 1, "BOOL": 1, "U16": 2, "U32": 4, "U64": 8]

    public let url: URL
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// Every tensor by name.
    public let tensors: [String: TensorInfo]
    private let dataStart: Int

    // MARK: - Reading

    /// Opens a file and validates its header (sizes, dtypes, offsets within the file).
    public init(url: URL) throws {
        self.url = url
        func fail(_ reason: String) -> SafetensorsError { SafetensorsError(path: url.path, reason: reason) }
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw fail("cannot open the file") }
        defer { try? handle.close() }
        let fileSize = Int((try? handle.seekToEnd()) ?? 0)
        guard fileSize >= 8 else { throw fail("too short to be a safetensors file (\(fileSize) bytes)") }
        try handle.seek(toOffset: 0)
        let lengthBytes = try handle.read(upToCount: 8) ?? Data()
        guard lengthBytes.count == 8 else { throw fail("cannot read the header length") }
        let n = lengthBytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard n >= 2, n <= UInt64(min(Self.maxHeaderBytes, fileSize - 8)) else {
            throw fail("header length \(n) is impossible for a file of \(fileSize) bytes")
        }
        let headerBytes = try handle.read(upToCount: Int(n)) ?? Data()
        guard headerBytes.count == Int(n), headerBytes.first == UInt8(ascii: "{") else {
            throw fail("header is not a JSON object")
        }
        guard let header = (try? JSONSerialization.jsonObject(with: headerBytes)) as? [String: Any] else {
            throw fail("header is not valid JSON")
        }
        dataStart = 8 + Int(n)
        let dataSize = fileSize - dataStart
        var meta: [String: String] = [:]
        var infos: [String: TensorInfo] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("__metadata__ value '\(k)' is not a string") }
                    meta[k] = s
                }
                continue
            }
            guard let t = value as? [String: Any], let dtype = t["dtype"] as? String,
                  let shapeAny = t["shape"] as? [Any], let offsAny = t["data_offsets"] as? [Any] else {
                throw fail("tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            guard let width = Self.elementBytes[dtype] else { throw fail("tensor '\(name)' has unknown dtype \(dtype)") }
            let shape = shapeAny.compactMap { Self.integer($0) }
            let offs = offsAny.compactMap { Self.integer($0) }
            guard shape.count == shapeAny.count, shape.count <= 8, shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor '\(name)' has an invalid shape")
            }
            guard offs.count == 2, offs[0] >= 0, offs[0] <= offs[1], offs[1] <= dataSize else {
                throw fail("tensor '\(name)' has data_offsets outside the file's \(dataSize) data bytes")
            }
            var bytes = width
            for s in shape {
                let (p, overflow) = bytes.multipliedReportingOverflow(by: s)
                guard !overflow, p <= dataSize else { throw fail("tensor '\(name)' shape \(shape) exceeds the file") }
                bytes = p
            }
            guard offs[1] - offs[0] == bytes else {
                throw fail("tensor '\(name)' has \(offs[1] - offs[0]) bytes, its shape \(shape) × \(dtype) needs \(bytes)")
            }
            infos[name] = TensorInfo(dtype: dtype, shape: shape, begin: offs[0], end: offs[1])
        }
        // As the reference reader requires: the tensors, in offset order, tile the data section
        // exactly, with no overlap, gap or trailing bytes.
        var next = 0
        for (name, t) in infos.sorted(by: { ($0.value.begin, $0.value.end, $0.key) < ($1.value.begin, $1.value.end, $1.key) }) {
            guard t.begin == next else {
                throw fail("invalid offset: tensor '\(name)' starts at byte \(t.begin) of the data section, expected \(next) (tensors must not overlap or leave gaps)")
            }
            next = t.end
        }
        guard next == dataSize else {
            throw fail("invalid offset: the tensors end at byte \(next) of the data section, the file has \(dataSize)")
        }
        metadata = meta
        tensors = infos
    }

    /// Reads a float32 tensor into `dst`, which must hold exactly `count` floats.
    /// - Throws: when the tensor is absent, not F32, of another size, or the read fails.
    public func read(_ name: String, into dst: UnsafeMutablePointer<Float>, count: Int) throws {
        func fail(_ reason: String) -> SafetensorsError { SafetensorsError(path: url.path, reason: reason) }
        guard let t = tensors[name] else { throw fail("tensor '\(name)' is missing") }
        guard t.dtype == "F32" else { throw fail("tensor '\(name)' is \(t.dtype), expected F32") }
        guard t.count == count else { throw fail("tensor '\(name)' has \(t.count) elements, expected \(count)") }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(dataStart + t.begin))
        let data = try handle.read(upToCount: t.end - t.begin) ?? Data()
        guard data.count == t.end - t.begin else { throw fail("tensor '\(name)' is truncated") }
        data.withUnsafeBytes { raw in
            let src = raw.bindMemory(to: UInt32.self)
            for i in 0..<count { dst[i] = Float(bitPattern: UInt32(littleEndian: src[i])) }
        }
    }

    /// Reads a float32 tensor into a new array.
    public func floats(_ name: String) throws -> [Float] {
        guard let t = tensors[name] else { throw SafetensorsError(path: url.path, reason: "tensor '\(name)' is missing") }
        var out = [Float](repeating: 0, count: t.count)
        try out.withUnsafeMutableBufferPointer { try read(name, into: $0.baseAddress!, count: t.count) }
        return out
    }

    // MARK: - Writing

    /// One tensor to write: its name, shape and float32 values (row-major).
    public struct Tensor {
        public var name: String
        public var shape: [Int]
        public var values: UnsafeBufferPointer<Float>
        public init(name: String, shape: [Int], values: UnsafeBufferPointer<Float>) {
            self.name = name; self.shape = shape; self.values = values
        }
    }

    /// Writes float32 tensors and a metadata map as a safetensors file, atomically (a temporary
    /// sibling renamed into place) unless `atomically` is false (for a caller's own temporary
    /// file). Tensors are laid out in the given order.
    public static func write(to url: URL, tensors: [Tensor], metadata: [String: String], atomically: Bool = true) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for t in tensors {
            precondition(t.shape.reduce(1, *) == t.values.count, "shape of \(t.name) does not match its values")
            header[t.name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.values.count]]
            offset += 4 * t.values.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data section starts 8-byte aligned (as the reference writer does).
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        func writeFile(_ tmp: URL) throws {
            let handle: FileHandle
            do { handle = try AtomicReplace.createNew(tmp) } catch {
                throw SafetensorsError(path: url.path, reason: "cannot create the file (\(error))")
            }
            defer { try? handle.close() }
            var length = UInt64(json.count).littleEndian
            try handle.write(contentsOf: Data(bytes: &length, count: 8))
            try handle.write(contentsOf: json)
            for t in tensors {
                try handle.write(contentsOf: Data(buffer: t.values))
            }
            try handle.synchronize()
        }
        if atomically { try AtomicReplace.write(to: url, writeFile) } else { try writeFile(url) }
    }

    // MARK: - Internal API

    /// A JSON number that is an exact integer of safe magnitude, else nil.
    private static func integer(_ v: Any) -> Int? {
        if let i = v as? Int { return i }
        guard let d = v as? Double, d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int(d)
    }
}

/// A safetensors file is unreadable, malformed or lacks what was asked for.
public struct SafetensorsError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
