import Foundation
import Store

/// Fingerprints with their ids for pandas and numpy users (`m2ae export --format csv|npy`).
public enum FingerprintExport {
    /// A NumPy `.npy` file (format 1.0) of a little-endian float32 matrix [rows, cols]: the
    /// magic, a header dictionary padded with spaces to a multiple of 64 bytes, then the data.
    /// - Complexity: O(rows × cols).
    public static func npy(_ values: [Float], rows: Int, cols: Int) -> Data {
        precondition(values.count == rows * cols)
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(cols)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        if 1.littleEndian == 1 {
            values.withUnsafeBytes { data.append(contentsOf: $0) }
        } else {
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    /// CSV of one row per segment: `segment,subject,record,start`, then `f0`…`f<cols−1>` when
    /// `values` is given (fingerprints written with 9 significant digits, which round-trip
    /// float32; an absent modality's NaN as `nan`). Fields holding a comma, quote or line
    /// break are quoted.
    public static func csv(ids: [(subject: String, record: String, start: Double)], values: [Float]?, cols: Int) -> Data {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = "segment,subject,record,start" + (values == nil ? "" : (0..<cols).map { ",f\($0)" }.joined()) + "\n"
        for (i, id) in ids.enumerated() {
            out += "\(i),\(field(id.subject)),\(field(id.record)),\(id.start)"
            if let values {
                for j in 0..<cols {
                    let v = values[i * cols + j]
                    out += v.isNaN ? ",nan" : "," + String(format: "%.9g", v)
                }
            }
            out += "\n"
        }
        return Data(out.utf8)
    }
}
