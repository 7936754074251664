import Foundation

/// Reads delimited text recordings: a header row of column names, then one row of numbers
/// per sample (`,`, `;` or tab, found from the header row).
///
/// The sampling rate comes from a time column when there is one (`time`, `t`, `timestamp`,
/// `seconds`, `time_s`; `time_ms` or `ms` in milliseconds): the median step between rows.
/// Otherwise the caller's rate is used. Empty cells and `nan` are NaN.
public enum CSVReader {
    /// Column names taken as a time axis in seconds, lower-cased.
    public static let secondsColumns: Set<String> = ["time", "t", "timestamp", "seconds", "sec", "time_s", "time (s)", "time[s]"]
    /// Column names taken as a time axis in milliseconds, lower-cased.
    public static let millisecondColumns: Set<String> = ["time_ms", "ms", "time (ms)", "time[ms]", "milliseconds"]

    // MARK: - API

    /// Reads the file at `url`.
    /// - Parameter rate: samples per second, used when the file has no time column.
    /// - Throws: `ImportError` naming the file (and line) for an empty file, a ragged or
    ///   non-numeric row, a missing rate, or a time column that does not increase evenly.
    public static func read(_ url: URL, rate: Double?) throws -> Recording {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ImportError(url, FileManager.default.fileExists(atPath: url.path) ? "cannot read the file" : "no such file")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }          // a byte-order mark (spreadsheet exports)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline })
        while let last = lines.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        guard let headerLine = lines.first, !headerLine.isEmpty else { throw ImportError(url, "empty CSV file") }
        let separator: Character = headerLine.contains(",") ? "," : headerLine.contains(";") ? ";" : "\t"
        let names = headerLine.split(separator: separator, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard names.allSatisfy({ Double($0) == nil }) else {
            throw ImportError(url, "the first line must name the columns (found numbers)")
        }
        let rows = lines.count - 1
        guard rows >= 2 else { throw ImportError(url, "no data rows") }

        var columns = [[Double]](repeating: [], count: names.count)       // (columns, rows)
        for c in columns.indices { columns[c].reserveCapacity(rows) }
        for (r, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: separator, omittingEmptySubsequences: false)
            guard fields.count == names.count else {
                throw ImportError(url, "line \(r + 2) has \(fields.count) fields, the header has \(names.count) (truncated or ragged file)")
            }
            for (c, field) in fields.enumerated() {
                let cell = field.trimmingCharacters(in: .whitespaces)
                if cell.isEmpty || cell.lowercased() == "nan" || cell.lowercased() == "na" {
                    columns[c].append(.nan)
                } else if let v = Double(cell) {
                    columns[c].append(v)
                } else {
                    throw ImportError(url, "line \(r + 2), column \(names[c]): '\(cell.prefix(20))' is not a number")
                }
            }
        }

        var timeIndex: Int?
        var scale = 1.0
        for (i, n) in names.enumerated() {
            let key = n.lowercased()
            if secondsColumns.contains(key) { timeIndex = i; break }
            if millisecondColumns.contains(key) { timeIndex = i; scale = 1e-3; break }
        }
        let sampleRate: Double
        if let t = timeIndex {
            sampleRate = try rateFromTime(columns[t], scale: scale, url: url, column: names[t])
        } else if let rate {
            sampleRate = rate
        } else {
            throw ImportError(url, "no time column (time, t, timestamp, seconds, time_ms); give the rate with --rate")
        }
        let channels = names.indices.filter { $0 != timeIndex }.map {
            Channel(name: names[$0], units: "", rate: sampleRate, samples: columns[$0])
        }
        guard !channels.isEmpty else { throw ImportError(url, "no signal columns besides the time column") }
        let name = url.deletingPathExtension().lastPathComponent
        return Recording(name: name, format: "CSV", parts: [RecordingPart(start: 0, label: name, channels: channels)])
    }

    // MARK: - Internal API

    /// The sampling rate implied by a time column: 1 / the median step, checked to be even.
    static func rateFromTime(_ time: [Double], scale: Double, url: URL, column: String) throws -> Double {
        var steps: [Double] = []
        steps.reserveCapacity(time.count - 1)
        for i in 1..<time.count { steps.append((time[i] - time[i - 1]) * scale) }
        guard steps.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ImportError(url, "time column \(column) does not increase on every row")
        }
        let sorted = steps.sorted()
        let median = sorted[sorted.count / 2]
        // Allow jitter of the last printed digit, not dropped or doubled rows.
        guard sorted.first! > median * 0.5, sorted.last! < median * 1.5 else {
            throw ImportError(url, "time column \(column) is not evenly spaced (steps from \(sorted.first!) to \(sorted.last!) s)")
        }
        // A rate within a millionth of a whole number is that number (0.01 s steps are 100 Hz).
        let rate = 1 / median
        return abs(rate - rate.rounded()) < 1e-6 * rate ? rate.rounded() : rate
    }
}
