import Foundation

/// Reads MATLAB `.mat` files (v4, v5 and the HDF5-based v7.3, through libmatio) as recordings.
///
/// Signals are numeric vectors and matrices found anywhere in the file, named by their path:
/// `data.ekg.v` (a field of a struct), `sig[0]` (row 0 of a 2-D matrix), `sig[:,0]` (column 0),
/// `data[2].ekg.v` (element 2 of a struct array); indices are 0-based. A vector is one
/// channel; a matrix whose shorter side has at most 64 entries holds one channel per entry of
/// that side, read along the longer side. A channel's rate is the first numeric scalar named
/// like `fs`, `Fs`, `freq` or `srate` in its struct, in a `header`/`info`-like struct beside
/// it, or in the levels above (up to the file's variables: ecg-kit's `header.freq`), else
/// `rate` (`--rate`). Channel names come from a names field beside a matrix (ecg-kit's
/// `header.desc`) when it has one name per channel, units from a `units` field.
public enum MATReader {
    /// The sampling rates accepted, in Hz: outside it a rate is an error, not a signal.
    public static let rateRange: ClosedRange<Double> = 0.1...100_000
    /// A matrix is a set of channels only when its shorter side has at most this many entries.
    public static let maxChannels = 64

    // MARK: - API

    /// Reads the MAT file at `url`.
    ///
    /// Every numeric vector or signal matrix with a rate becomes a channel named by its path
    /// (or by the names a struct beside it lists); time vectors (`t`, `time`, …), rate fields
    /// and the contents of `header`-like structs are not signals. Each path in `select` (the
    /// `--ecg`/`--ppg` names) that is not already a channel's name is resolved and added as a
    /// channel named exactly so.
    ///
    /// - Parameters:
    ///   - rate: the rate of signals without a rate field (`--rate`).
    ///   - select: variable paths that must be channels.
    ///   - strict: when false, a selected path whose variable is not in this file is skipped
    ///     (several files read as one recording each hold some of them).
    /// - Throws: `ImportError` naming the file: unreadable or truncated file, a selected path
    ///   that does not exist (listing the variables there are), an index out of range, a
    ///   matrix with both sides longer than 64, a rate outside `rateRange`, no signal at all.
    public static func read(_ url: URL, rate: Double? = nil, select: [String] = [], strict: Bool = true) throws -> Recording {
        if let rate, !rateRange.contains(rate) {
            throw ImportError(url, "--rate \(rate) Hz is not a usable sampling rate (\(rangeText))")
        }
        let file = try MATFile.read(url)
        var channels: [Found] = []
        var notes: [String] = []
        collect(file.variables, prefix: "", levels: [Level(prefix: "", fields: file.variables)], rate: rate, url: url,
                into: &channels, notes: &notes)
        if let problem = channels.lazy.compactMap(\.problem).first { throw ImportError(url, problem) }
        var found = channels.compactMap(\.channel)
        for path in select where !found.contains(where: { $0.name == path }) {
            guard let channel = try resolve(path, in: file, rate: rate, url: url, strict: strict) else { continue }
            found.append(channel)
        }
        guard !found.isEmpty else {
            throw ImportError(url, "no numeric signal with a sampling rate (variables: \(variableList(file))); give --rate or name one with --ecg/--ppg")
        }
        let name = url.deletingPathExtension().lastPathComponent
        return Recording(name: name, format: file.version,
                         parts: [RecordingPart(start: 0, label: url.lastPathComponent, channels: found)],
                         comments: file.header.isEmpty ? [] : [file.header], notes: notes)
    }

    // MARK: - Internal API

    /// Leaf names that hold sample times, not samples.
    static let timeNames: Set<String> = ["t", "time", "times", "tt", "tm", "timestamp", "timestamps", "time_s", "seconds", "sec"]
    /// Names of a rate field (compared lower-cased).
    static let rateNames: Set<String> = ["fs", "freq", "srate", "sfreq", "samplerate", "sample_rate", "samplingrate", "sampling_rate", "samplingfrequency"]
    /// Names of structs that describe the signals beside them (compared lower-cased).
    static let headerNames: Set<String> = ["header", "hdr", "head", "info", "meta", "metadata", "params", "param"]
    /// Names of a field listing channel names (compared lower-cased).
    static let channelNameFields: Set<String> = ["desc", "names", "labels", "channels", "channel_names", "sig_name", "signame", "leads"]
    /// Names of a field giving units (compared lower-cased).
    static let unitFields: Set<String> = ["units", "unit"]

    static var rangeText: String { "\(rateRange.lowerBound)–\(Int(rateRange.upperBound)) Hz" }

    /// A struct (or the file's variables) enclosing a signal: its path with a trailing `.` and its fields.
    struct Level { var prefix: String; var fields: [MATField] }

    /// A channel found while walking the file, or the reason a signal there cannot be used.
    struct Found { var channel: Channel?; var problem: String? }

    /// Walks `fields` (the struct or file level at `prefix`), appending every signal.
    ///
    /// - Parameter levels: the enclosing levels, outermost first, ending with `fields`.
    static func collect(_ fields: [MATField], prefix: String, levels: [Level], rate: Double?, url: URL,
                        into out: inout [Found], notes: inout [String]) {
        for f in fields {
            let path = prefix + f.name
            let lower = f.name.lowercased()
            switch f.node {
            case .structure(let inner):
                guard !headerNames.contains(lower) else { continue }
                collect(inner, prefix: path + ".", levels: levels + [Level(prefix: path + ".", fields: inner)], rate: rate, url: url,
                        into: &out, notes: &notes)
            case .structArray(let elements):
                for (i, e) in elements.enumerated() {
                    guard case .structure(let inner) = e else { continue }
                    let p = "\(path)[\(i)]."
                    collect(inner, prefix: p, levels: levels + [Level(prefix: p, fields: inner)], rate: rate, url: url,
                            into: &out, notes: &notes)
                }
            case .numeric(let rows, let columns, let values):
                guard !timeNames.contains(lower), !rateNames.contains(lower), rows * columns >= 2 else { continue }
                guard min(rows, columns) <= maxChannels else {
                    notes.append("\(path) (\(rows) × \(columns)) is not a signal: both sides are longer than \(maxChannels)")
                    continue
                }
                let r: Double
                switch channelRate(levels, fallback: rate) {
                case .none:
                    notes.append("\(path): no sampling rate (no fs/freq field beside it or above; --rate gives one)")
                    continue
                case .some(.failure(let problem)):
                    out.append(Found(channel: nil, problem: problem.message)); continue
                case .some(.success(let value)):
                    r = value
                }
                out += signals(path: path, rows: rows, columns: columns, values: values, rate: r, levels: levels).map {
                    Found(channel: $0, problem: nil)
                }
            default:
                continue
            }
        }
    }

    /// The rate of a signal whose enclosing levels are `levels`: the innermost rate field, or
    /// `fallback`; nil when there is neither, a failure when the field's value is unusable.
    static func channelRate(_ levels: [Level], fallback: Double?) -> Result<Double, MATReader.Problem>? {
        for level in levels.reversed() {
            if let (name, value) = rateField(in: level.fields) ?? level.fields.lazy.compactMap({ f -> (String, Double)? in
                guard headerNames.contains(f.name.lowercased()), case .structure(let inner) = f.node,
                      let (p, v) = rateField(in: inner) else { return nil }
                return (f.name + "." + p, v)
            }).first {
                let path = level.prefix + name
                guard rateRange.contains(value) else {
                    return .failure(Problem(message: "\(path) = \(value) is not a usable sampling rate (\(rangeText))"))
                }
                return .success(value)
            }
        }
        return fallback.map { .success($0) }
    }

    /// A problem found while reading, as the one line to report.
    struct Problem: Error { var message: String }

    /// The first rate field among `fields`: its name and value (a numeric scalar).
    static func rateField(in fields: [MATField]) -> (String, Double)? {
        for f in fields where rateNames.contains(f.name.lowercased()) {
            if case .numeric(_, _, let v) = f.node, v.count == 1 { return (f.name, v[0]) }
        }
        return nil
    }

    /// The strings of a text field (a char matrix's rows or a cell array of one-line strings),
    /// trimmed; nil for anything else.
    static func strings(_ node: MATNode) -> [String]? {
        switch node {
        case .text(let rows): return rows.map { $0.trimmingCharacters(in: .whitespaces) }
        case .cells(let cells):
            var out: [String] = []
            for c in cells {
                guard case .text(let rows) = c, rows.count <= 1 else { return nil }
                out.append((rows.first ?? "").trimmingCharacters(in: .whitespaces))
            }
            return out
        default: return nil
        }
    }

    /// The innermost list among the fields named like `names` (or inside a header-like struct)
    /// with exactly `count` strings.
    static func labels(_ names: Set<String>, count: Int, levels: [Level]) -> [String]? {
        for level in levels.reversed() {
            var candidates = level.fields
            for f in level.fields where headerNames.contains(f.name.lowercased()) {
                if case .structure(let inner) = f.node { candidates += inner }
            }
            for f in candidates where names.contains(f.name.lowercased()) {
                if let s = strings(f.node), s.count == count { return s }
            }
        }
        return nil
    }

    /// The channels of one numeric array at `path`: a vector is one channel, a matrix one per
    /// entry of its shorter side (named by a names list beside it, else `path[:,j]`/`path[i]`).
    static func signals(path: String, rows: Int, columns: Int, values: [Double], rate: Double, levels: [Level]) -> [Channel] {
        if rows == 1 || columns == 1 {
            let units = labels(unitFields, count: 1, levels: Array(levels.suffix(1)))?.first ?? ""
            return [Channel(name: path, units: units, rate: rate, samples: values)]
        }
        let byColumn = rows >= columns
        let k = byColumn ? columns : rows
        let names = labels(channelNameFields, count: k, levels: levels)
            .flatMap { Set($0).count == k && !$0.contains("") ? $0 : nil }
        let units = labels(unitFields, count: k, levels: levels)
        return (0..<k).map { j in
            Channel(name: names?[j] ?? (byColumn ? "\(path)[:,\(j)]" : "\(path)[\(j)]"),
                    units: units?[j] ?? "", rate: rate, samples: slice(rows: rows, columns: columns, values, byColumn ? .column(j) : .row(j)))
        }
    }

    /// A row or a column of a column-major matrix.
    enum Line { case row(Int), column(Int) }
    static func slice(rows: Int, columns: Int, _ values: [Double], _ line: Line) -> [Double] {
        switch line {
        case .column(let j): Array(values[(j * rows)..<((j + 1) * rows)])
        case .row(let i): (0..<columns).map { values[i + $0 * rows] }
        }
    }

    /// The channel a selected path names, nil when its variable is absent and `strict` is false.
    static func resolve(_ path: String, in file: MATFile, rate: Double?, url: URL, strict: Bool) throws -> Channel? {
        guard let steps = MATPath.parse(path) else {
            throw ImportError(url, "'\(path)' is not a variable path (write data.ekg.v, sig[0] or sig[:,0])")
        }
        var levels = [Level(prefix: "", fields: file.variables)]
        var prefix = ""
        var node: MATNode = .structure(file.variables)
        var line: Line?
        func missing() -> ImportError {
            ImportError(url, "no variable '\(path)' (variables: \(variableList(file)))")
        }
        for (n, step) in steps.enumerated() {
            switch (step, node) {
            case (.field(let name), .structure(let fields)):
                guard let f = fields.first(where: { $0.name == name }) else {
                    if n == 0 && !strict { return nil }
                    throw missing()
                }
                if n > 0 { levels.append(Level(prefix: prefix + ".", fields: fields)) }
                prefix = n > 0 ? prefix + "." + name : name
                node = f.node
            case (.index(let i), .structArray(let elements)):
                guard elements.indices.contains(i) else { throw ImportError(url, "'\(path)': element \(i) is out of range (\(elements.count) elements)") }
                node = elements[i]
                prefix += "[\(i)]"
            case (.index(let i), .numeric(let rows, let columns, _)) where n == steps.count - 1:
                guard i >= 0 && i < rows else { throw ImportError(url, "'\(path)': row \(i) is out of range (\(rows) × \(columns))") }
                line = .row(i)
            case (.column(let j), .numeric(let rows, let columns, _)) where n == steps.count - 1:
                guard j >= 0 && j < columns else { throw ImportError(url, "'\(path)': column \(j) is out of range (\(rows) × \(columns))") }
                line = .column(j)
            default:
                throw n == 0 || { if case .field = step { return true } else { return false } }() ? missing()
                    : ImportError(url, "'\(path)': cannot index a \(node.summary) that way")
            }
        }
        if case .structure(let fields) = node { levels.append(Level(prefix: prefix + ".", fields: fields)) }
        guard case .numeric(let rows, let columns, let values) = node else {
            throw ImportError(url, "'\(path)' is a \(node.summary), not a numeric signal (variables: \(variableList(file)))")
        }
        let samples: [Double]
        if let line {
            samples = slice(rows: rows, columns: columns, values, line)
        } else if rows == 1 || columns == 1 {
            samples = values
        } else if min(rows, columns) > maxChannels {
            throw ImportError(url, "'\(path)' is a \(rows) × \(columns) matrix, both sides longer than \(maxChannels): name one row or column (\(path)[0], \(path)[:,0])")
        } else {
            let k = min(rows, columns), last = rows >= columns ? "\(path)[:,\(k - 1)]" : "\(path)[\(k - 1)]"
            throw ImportError(url, "'\(path)' is a \(rows) × \(columns) matrix of \(k) channels: name one (\(rows >= columns ? "\(path)[:,0]" : "\(path)[0]") … \(last))")
        }
        guard samples.count >= 2 else { throw ImportError(url, "'\(path)' holds \(samples.count) value(s), not a signal") }
        switch channelRate(levels, fallback: rate) {
        case .none: throw ImportError(url, "no sampling rate for '\(path)': no fs/freq field beside it or above; give --rate")
        case .some(.failure(let p)): throw ImportError(url, p.message)
        case .some(.success(let r)):
            let units = line == nil ? labels(unitFields, count: 1, levels: Array(levels.suffix(1)))?.first ?? "" : ""
            return Channel(name: path, units: units, rate: r, samples: samples)
        }
    }

    /// The numeric variables of the file by path and size, for error messages (at most 40).
    static func variableList(_ file: MATFile) -> String {
        var out: [String] = []
        func walk(_ fields: [MATField], _ prefix: String) {
            for f in fields {
                switch f.node {
                case .numeric(let r, let c, _): out.append("\(prefix)\(f.name) \(r)×\(c)")
                case .structure(let inner): walk(inner, prefix + f.name + ".")
                case .structArray(let e):
                    for (i, s) in e.enumerated() { if case .structure(let inner) = s { walk(inner, "\(prefix)\(f.name)[\(i)].") } }
                default: continue
                }
            }
        }
        walk(file.variables, "")
        if out.isEmpty { return "none" }
        return out.count > 40 ? out.prefix(40).joined(separator: ", ") + ", … \(out.count - 40) more" : out.joined(separator: ", ")
    }
}

/// A parsed variable path: `data.ekg.v`, `sig[0]`, `sig[:,0]`, `data[2].ekg.v`.
enum MATPath: Equatable {
    /// A struct field or file variable.
    case field(String)
    /// `[i]` or `[i,:]`: element `i` of a struct array, row `i` of a matrix.
    case index(Int)
    /// `[:,j]`: column `j` of a matrix.
    case column(Int)

    /// The steps of `text`, nil when it is not a path.
    static func parse(_ text: String) -> [MATPath]? {
        var steps: [MATPath] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty else { return nil }
            steps.append(.field(String(name)))
            rest = rest[name.endIndex...]
            while rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                let inside = rest[rest.index(after: rest.startIndex)..<close].filter { $0 != " " }
                rest = rest[rest.index(after: close)...]
                if inside.hasPrefix(":,"), let j = Int(inside.dropFirst(2)), j >= 0 { steps.append(.column(j)) }
                else if inside.hasSuffix(",:"), let i = Int(inside.dropLast(2)), i >= 0 { steps.append(.index(i)) }
                else if let i = Int(inside), i >= 0 { steps.append(.index(i)) }
                else { return nil }
            }
            if rest.first == "." { rest = rest.dropFirst(); guard !rest.isEmpty else { return nil } }
            else if !rest.isEmpty { return nil }
        }
        return steps.isEmpty ? nil : steps
    }
}
