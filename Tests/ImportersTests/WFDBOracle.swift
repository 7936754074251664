import Foundation
import TestSupport
@testable import Importers

/// Reads records through `reference/wfdb_oracle.py` (wfdb.rdrecord) for bit-exact comparisons.
enum WFDBOracle {
    /// One channel as wfdb returns it.
    struct OracleChannel: Decodable { var name: String; var units: String?; var fs: Double; var count: Int }
    struct Index: Decodable { var channels: [OracleChannel]; var comments: [String] }

    /// The channels wfdb reads from `record` (path without extension), with their float64 values.
    static func read(_ record: URL, sampto: Int? = nil) throws -> [(OracleChannel, [Double])] {
        try read([(record, sampto)])[0]
    }

    /// `read` for several records in one Python run (starting Python dominates the time).
    static func read(_ records: [(URL, Int?)]) throws -> [[(OracleChannel, [Double])]] {
        let out = try TestSupport.temporaryFolder("wfdb-oracle")
        defer { try? FileManager.default.removeItem(at: out) }
        let specs = records.map { $0.0.path + ($0.1.map { ":\($0)" } ?? "") }
        let json = try Python.script("reference/wfdb_oracle.py", ["dump", out.path] + specs)
        let indices = try JSONDecoder().decode([Index].self, from: Data(json.utf8))
        return try indices.enumerated().map { i, index in
            let data = try Data(contentsOf: out.appendingPathComponent("\(i).bin"))
            var values: [(OracleChannel, [Double])] = []
            var at = 0
            for c in index.channels {
                let v = data.subdata(in: at..<(at + 8 * c.count)).withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
                values.append((c, v))
                at += 8 * c.count
            }
            return values
        }
    }

    /// Fixture records written by the oracle script into `folder`: name and optional sampto.
    struct Fixture: Decodable { var record: String; var sampto: Int? }
    static func writeFixtures(_ folder: URL) throws -> [Fixture] {
        let json = try Python.script("reference/wfdb_oracle.py", ["fixtures", folder.path])
        return try JSONDecoder().decode([Fixture].self, from: Data(json.utf8))
    }

    /// A multi-segment record of `parts` contiguous segments of `frames` frames each, written
    /// by the oracle script into `folder`; returns the record's path (without extension).
    static func writeManyPart(_ folder: URL, parts: Int, frames: Int) throws -> URL {
        _ = try Python.script("reference/wfdb_oracle.py", ["manypart", folder.path, String(parts), String(frames)])
        return folder.appendingPathComponent("many")
    }

    /// The first index where `a` and `b` differ bit for bit (NaN equals NaN), or nil.
    static func firstDifference(_ a: [Double], _ b: [Double]) -> Int? {
        guard a.count == b.count else { return min(a.count, b.count) }
        for i in a.indices where !(a[i].bitPattern == b[i].bitPattern || (a[i].isNaN && b[i].isNaN)) { return i }
        return nil
    }
}
