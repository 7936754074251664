import Foundation

/// A CSV field, quoted when it holds a comma, a quote or a line break.
func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A value for CSV (5 significant digits).
func number(_ v: Float) -> String { String(format: "%.5g", v) }

/// Standard output in 64 KiB writes, for the streaming per-segment commands.
final class BufferedOutput {
    private var buffer = Data()
    func write(_ text: String) { buffer.append(contentsOf: text.utf8); if buffer.count >= 65_536 { flush() } }
    func write(_ data: Data) { buffer.append(data); if buffer.count >= 65_536 { flush() } }
    func flush() { FileHandle.standardOutput.write(buffer); buffer.removeAll(keepingCapacity: true) }
}
