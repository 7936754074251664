import Foundation

/// Prints a recording's physical values as read, one row per sample time of its fastest
/// channel, for `m2ae read`.
///
/// A slower channel's sample `j` appears on the row `⌊j · fastest / rate⌋` (exactly its time
/// when the rates are whole multiples) and its other rows stay empty, so every value is
/// printed once. Values use the shortest decimal that reads back to the same Double; NaN
/// prints as `nan`.
public enum RecordingTable {
    // MARK: - API

    /// Writes the table in chunks through `emit`.
    ///
    /// - Parameters:
    ///   - csv: comma-separated with a `time` column in seconds; otherwise a summary of the
    ///     recording (format, channels, comments, notes) then aligned columns per part.
    ///   - maxRows: rows per part at most (nil: all).
    public static func write(_ recording: Recording, csv: Bool, maxRows: Int? = nil, emit: (String) -> Void) {
        if !csv { emit(summary(recording)) }
        var csvHeader: [String]?
        for part in recording.parts {
            let fastest = part.channels.map(\.rate).max() ?? 1
            let rows = part.channels.map { Self.row(of: $0.samples.count, rate: $0.rate, fastest: fastest) }.max() ?? 0
            let shown = min(rows, maxRows ?? rows)
            let names = part.channels.map { $0.units.isEmpty ? $0.name : "\($0.name) (\($0.units))" }
            // cells[r][c]: the value of channel c on row r, or "" (rows, channels)
            var cells = [[String]](repeating: [String](repeating: "", count: part.channels.count), count: shown)
            for (c, ch) in part.channels.enumerated() {
                for (j, v) in ch.samples.enumerated() {
                    let r = row(of: j, rate: ch.rate, fastest: fastest)
                    guard r < shown else { break }
                    cells[r][c] = v.isNaN ? "nan" : "\(v)"
                }
            }
            if csv {
                let header = ["time"] + names
                if csvHeader != header { emit(header.map(quote).joined(separator: ",") + "\n"); csvHeader = header }
                var chunk = ""
                for r in 0..<shown {
                    chunk += "\(part.start + Double(r) / fastest)," + cells[r].joined(separator: ",") + "\n"
                    if chunk.utf8.count > 1 << 16 { emit(chunk); chunk = "" }
                }
                emit(chunk)
            } else {
                emit("\n# part \(part.label) at \(part.start) s: \(rows) rows at \(fastest) Hz\n")
                let header = ["sample"] + names
                var width = header.map(\.count)
                for r in cells { for (c, v) in r.enumerated() { width[c + 1] = max(width[c + 1], v.count) } }
                width[0] = max(width[0], String(shown).count)
                let pad = { (s: String, w: Int) in String(repeating: " ", count: max(0, w - s.count)) + s }
                emit(zip(header, width).map { pad($0, $1) }.joined(separator: "  ") + "\n")
                var chunk = ""
                for r in 0..<shown {
                    chunk += pad(String(r), width[0])
                    for (c, v) in cells[r].enumerated() { chunk += "  " + pad(v, width[c + 1]) }
                    chunk += "\n"
                    if chunk.utf8.count > 1 << 16 { emit(chunk); chunk = "" }
                }
                emit(chunk)
                if shown < rows { emit("… \(rows - shown) more rows\n") }
            }
        }
    }

    /// The summary lines printed above the text table.
    public static func summary(_ r: Recording) -> String {
        var s = "record \(r.name) · \(r.format) · \(r.parts.count) part\(r.parts.count == 1 ? "" : "s")\n"
        for part in r.parts {
            for c in part.channels {
                s += "  \(part.label) \(c.name) [\(c.units)] \(c.rate) Hz, \(c.samples.count) samples ("
                    + String(format: "%.1f", c.duration) + " s) from \(part.start) s\n"
            }
        }
        for c in r.comments { s += "  # \(c)\n" }
        for n in r.notes { s += "  note: \(n)\n" }
        return s
    }

    // MARK: - Internal API

    /// The row of sample `j` of a channel at `rate` in a table at `fastest` rows per second.
    static func row(of j: Int, rate: Double, fastest: Double) -> Int {
        rate == fastest ? j : Int((Double(j) * fastest / rate + 1e-9).rounded(.down))
    }

    /// A CSV field, quoted when it holds a comma or a quote.
    static func quote(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
