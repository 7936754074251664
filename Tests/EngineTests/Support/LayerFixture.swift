import Foundation
import Testing
import TestSupport

// MARK: - The PyTorch layer fixture (reference/layer_oracle.py)

/// A tensor read from the oracle's fixture file: its shape and its values.
struct FixtureTensor {
    var shape: [Int]
    var floats: [Float]
    var ints: [Int32]
}

/// A fixture file could not be read (bad magic, truncated, unknown tensor).
struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Inputs, outputs and gradients of every layer, written by `reference/layer_oracle.py`
/// (run once per test process, shared by every test).
struct LayerFixture {
    let tensors: [String: FixtureTensor]

    /// The fixture, nil (with the reason printed) when PyTorch is absent and not required.
    static func load() throws -> LayerFixture? {
        switch shared {
        case .success(let fixture): return fixture
        case .failure(let error): throw error
        }
    }

    private static let shared: Result<LayerFixture?, Error> = Result {
        let folder = try TestSupport.temporaryFolder("m2ae-engine-oracle")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("layers.bin")
        let run = try Python.run(["reference/layer_oracle.py", file.path])
        if run.status != 0 {
            // only then pay for a second interpreter start to tell "no torch" from a real failure
            if let absent = Python.missing(["torch"]), !Python.required {
                print("skipping PyTorch layer checks: Python modules \(absent) missing")
                return nil
            }
            throw FixtureError(description: "reference/layer_oracle.py exited \(run.status): \(run.stderr.suffix(2000))")
        }
        return try LayerFixture(contentsOf: file)
    }

    /// Parses the fixture format documented in reference/layer_oracle.py.
    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        var cursor = 0
        func take(_ n: Int) throws -> Data {
            guard cursor + n <= data.count else { throw FixtureError(description: "\(url.path): truncated at byte \(cursor)") }
            defer { cursor += n }
            return data.subdata(in: (data.startIndex + cursor)..<(data.startIndex + cursor + n))
        }
        func u32() throws -> Int { Int(try take(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self).littleEndian }) }
        func u16() throws -> Int { Int(try take(2).withUnsafeBytes { $0.loadUnaligned(as: UInt16.self).littleEndian }) }
        func u8() throws -> Int { Int(try take(1)[0]) }
        guard try take(8) == Data("M2AELAYR".utf8) else {
            throw FixtureError(description: "\(url.path): not a layer fixture (regenerate with python3 reference/layer_oracle.py)")
        }
        let version = try u32()
        guard version == 1 else { throw FixtureError(description: "\(url.path): fixture version \(version), expected 1") }
        var tensors: [String: FixtureTensor] = [:]
        for _ in 0..<(try u32()) {
            let name = String(decoding: try take(try u16()), as: UTF8.self)
            let dtype = try u8()
            let ndim = try u8()
            var shape: [Int] = []
            for _ in 0..<ndim { shape.append(try u32()) }
            let count = shape.reduce(1, *)
            let raw = try take(count * 4)
            var t = FixtureTensor(shape: shape, floats: [], ints: [])
            raw.withUnsafeBytes { bytes in
                for i in 0..<count {
                    let bits = bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian
                    if dtype == 0 { t.floats.append(Float(bitPattern: bits)) } else { t.ints.append(Int32(bitPattern: bits)) }
                }
            }
            tensors[name] = t
        }
        self.tensors = tensors
    }

    /// Float values of a named tensor; fails the test (and returns []) when absent.
    func floats(_ name: String) -> [Float] {
        guard let t = tensors[name], !t.floats.isEmpty || t.shape.reduce(1, *) == 0 else {
            Issue.record("fixture has no float tensor '\(name)'")
            return []
        }
        return t.floats
    }

    /// Int32 values of a named tensor; fails the test (and returns []) when absent.
    func ints(_ name: String) -> [Int32] {
        guard let t = tensors[name], !t.ints.isEmpty || t.shape.reduce(1, *) == 0 else {
            Issue.record("fixture has no int tensor '\(name)'")
            return []
        }
        return t.ints
    }

    /// Shape of a named tensor ([] when absent).
    func shape(_ name: String) -> [Int] { tensors[name]?.shape ?? [] }
}
