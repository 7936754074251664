import Foundation

/// Reads delimited text recordings as people have them: with a header row of column names or
/// without one, separated by commas, semicolons or tabs, with or without a time column.
///
/// * **Separator**: the first of tab, `;`, `,` that splits the first lines into the same number
///   (two or more) of fields. With `;`, a decimal comma (`0,5`) is read as a decimal point.
/// * **Header**: the first line names the columns when any of its cells is not a number;
///   otherwise every line is data and the columns are named `column 0`, `column 1`, ….
/// * **Time column** (header files only): a column named like `time`, `t`, `timestamp`,
///   `seconds`, `Time [s]`, `time_ms`, `Time (ms)`, `time [us]`. An explicit unit is used as is;
///   without one the unit is the one that makes the median step a plausible sampling rate
///   (seconds first, then milliseconds). The rate is 1 / the median step; the import's notes
///   say which column and unit gave it.
/// * **Cells**: numbers as Swift `Double` reads them (correctly rounded, as Python's `float`);
///   empty cells and `nan`, `na`, `n/a`, `null` are NaN (missing samples). Infinite values
///   are refused: a sample that is "infinite" is a broken export, not a signal.
///
/// Every channel keeps its 0-based column in the file (`Channel.column`), so `--ecg 3` picks
/// the file's fourth column whether or not a time column precedes it.
public enum CSVReader {
    /// Time column names whose unit is seconds (lower-cased, before a unit suffix).
    static let secondsNames: Set<String> = ["seconds", "second", "sec", "secs"]
    /// Time column names whose unit is milliseconds.
    static let millisecondNames: Set<String> = ["ms", "msec", "millis", "milliseconds", "millisecond"]
    /// Time column names without a unit of their own.
    static let timeNames: Set<String> = ["time", "t", "timestamp", "timestamps", "time stamp", "elapsed", "elapsed time"]
    /// Units accepted after a time column's name (`Time [s]`, `time_ms`, `t (us)`), in seconds.
    static let units: [String: Double] = ["s": 1, "sec": 1, "secs": 1, "seconds": 1,
                                          "ms": 1e-3, "msec": 1e-3, "milliseconds": 1e-3,
                                          "us": 1e-6, "µs": 1e-6, "microseconds": 1e-6]
    /// Cells read as a missing sample (NaN), lower-cased.
    static let missingCells: Set<String> = ["nan", "-nan", "na", "n/a", "null", "none"]
    /// The rates a CSV file may have, found or given: the importer's (`Segmenter.acceptedRates`).
    static var rateRange: ClosedRange<Double> { Segmenter.acceptedRates }

    // MARK: - API

    /// Reads the file at `url`.
    /// - Parameter rate: samples per second, used when the file has no usable time column.
    /// - Throws: `ImportError` naming the file (and line and column) for an empty file, a ragged
    ///   or non-numeric row, an infinite value, a missing or implausible rate, or a time column
    ///   that does not increase evenly.
    /// - Complexity: O(file size); the samples take 8 bytes per cell.
    public static func read(_ url: URL, rate: Double?) throws -> Recording {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ImportError.unreadable(url, missing: "no such file", unreadable: "cannot read the file")
        }
        let table = try data.withUnsafeBytes { try Table(url: url, bytes: $0.bindMemory(to: UInt8.self)) }
        let names = table.names, columns = table.columns, hasHeader = table.hasHeader

        var notes: [String] = []
        if !hasHeader { notes.append("no header line: columns named column 0…column \(names.count - 1)") }
        let time = hasHeader ? names.indices.lazy.compactMap { i in timeUnit(names[i]).map { (i, $0) } }.first : nil
        var sampleRate: Double?
        var timeIndex: Int?
        if let (t, unit) = time {
            let step = try medianStep(columns[t], url: url, column: names[t])
            if let (r, unitName) = timeRate(step: step, unit: unit) {
                sampleRate = r
                timeIndex = t
                var note = "rate \(format(r)) Hz from the time column '\(names[t])' (\(unitName)\(unit == nil ? ", found from its step" : ""))"
                if let rate, abs(rate - r) > 1e-3 * r { note += "; the given \(format(rate)) Hz was not used" }
                notes.append(note)
            } else if let rate {
                sampleRate = rate
                notes.append("the column '\(names[t])' was not used as time: its step \(format(step)) gives no rate within \(format(rateRange.lowerBound))–\(format(rateRange.upperBound)) Hz in seconds or milliseconds; rate \(format(rate)) Hz as given")
            } else {
                throw ImportError(url, "the time column '\(names[t])' steps by \(format(step)): no rate within \(format(rateRange.lowerBound))–\(format(rateRange.upperBound)) Hz in seconds or milliseconds; give the rate with --rate")
            }
        }
        if sampleRate == nil {
            guard let rate else {
                throw ImportError(url, hasHeader
                    ? "no time column (time, t, timestamp, Time [s], time_ms, …); give the rate with --rate"
                    : "no header line, so no time column; give the rate with --rate")
            }
            sampleRate = rate
        }
        guard let sampleRate, rateRange.contains(sampleRate) else {
            let source = timeIndex.map { " (from the time column '\(names[$0])')" } ?? ""
            throw ImportError(url, "rate \(format(sampleRate ?? .nan)) Hz\(source) is outside \(format(rateRange.lowerBound))–\(format(rateRange.upperBound)) Hz")
        }
        let channels = names.indices.filter { $0 != timeIndex }.map {
            Channel(name: names[$0], units: "", rate: sampleRate, samples: columns[$0], column: $0)
        }
        guard !channels.isEmpty else { throw ImportError(url, "no signal columns besides the time column") }
        let name = url.deletingPathExtension().lastPathComponent
        return Recording(name: name, format: "CSV", parts: [RecordingPart(start: 0, label: name, channels: channels)], notes: notes)
    }

    // MARK: - Internal API

    /// The time unit of a column name in seconds per unit: `.some(nil)` for a time column
    /// without a unit (`time`, `timestamp`), nil for a column that is not a time axis.
    static func timeUnit(_ name: String) -> Double?? {
        var key = name.lowercased().trimmingCharacters(in: .whitespaces)
        var unit: Double?
        // `time [s]`, `time (ms)`, `time_s`, `time ms`
        if let open = key.lastIndex(where: { $0 == "[" || $0 == "(" }), key.last == "]" || key.last == ")" {
            let inside = key[key.index(after: open)..<key.index(before: key.endIndex)].trimmingCharacters(in: .whitespaces)
            guard let u = units[inside] else { return nil }
            unit = u
            key = key[..<open].trimmingCharacters(in: .whitespaces)
        } else if let sep = key.lastIndex(where: { $0 == "_" || $0 == " " }), let u = units[String(key[key.index(after: sep)...])],
                  timeNames.contains(String(key[..<sep])) {
            unit = u
            key = String(key[..<sep])
        }
        if secondsNames.contains(key) { return unit == nil || unit == 1 ? .some(1) : nil }
        if millisecondNames.contains(key) { return unit == nil || unit == 1e-3 ? .some(1e-3) : nil }
        return timeNames.contains(key) ? .some(unit) : nil
    }

    /// The median step of a time column, checked to increase evenly.
    static func medianStep(_ time: [Double], url: URL, column: String) throws -> Double {
        var steps: [Double] = []
        steps.reserveCapacity(time.count - 1)
        for i in 1..<time.count { steps.append(time[i] - time[i - 1]) }
        guard steps.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ImportError(url, "time column \(column) does not increase on every row")
        }
        let sorted = steps.sorted()
        let median = sorted[sorted.count / 2]
        // Allow jitter of the last printed digit, not dropped or doubled rows.
        guard sorted.first! > median * 0.5, sorted.last! < median * 1.5 else {
            throw ImportError(url, "time column \(column) is not evenly spaced (steps from \(sorted.first!) to \(sorted.last!))")
        }
        return median
    }

    /// The rate of a time column whose median step is `step`, in its `unit` (seconds per unit),
    /// or, without a unit, in the first of seconds and milliseconds that gives a rate within
    /// `rateRange`; nil when none does. A rate within a millionth of a whole number is that number.
    static func timeRate(step: Double, unit: Double?) -> (rate: Double, unit: String)? {
        let tries: [(Double, String)] = unit.map { [($0, $0 == 1 ? "seconds" : $0 == 1e-3 ? "milliseconds" : "microseconds")] }
            ?? [(1, "seconds"), (1e-3, "milliseconds")]
        for (scale, name) in tries {
            var r = 1 / (step * scale)
            if abs(r - r.rounded()) < 1e-6 * r { r = r.rounded() }
            if rateRange.contains(r) || unit != nil { return (r, name) }
        }
        return nil
    }

    /// A rate or step as short text: whole numbers without a fraction.
    static func format(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.6g", x)
    }
}
