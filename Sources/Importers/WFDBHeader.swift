import Foundation

/// A parsed WFDB header (`.hea`): the record line, one line per signal (single-segment) or
/// per segment (multi-segment), and the `#` comment lines.
///
/// Parsing follows the WFDB header specification (physionet.org/physiotools/wag/header-5.htm)
/// and the defaults of the wfdb Python package: a missing gain or a gain of 0 means 200, a
/// missing baseline means the ADC zero, missing units mean `mV`.
public struct WFDBHeader: Sendable, Equatable {
    /// The record name from the record line (without the `/segments` suffix).
    public var recordName: String
    /// Number of signals.
    public var signalCount: Int
    /// Frame rate in frames per second (a signal's rate is this times its samples per frame).
    public var frequency: Double
    /// Samples per signal per frame-count, i.e. the record length in frames (nil when absent:
    /// then it is derived from the signal file's size).
    public var length: Int?
    /// Start time and date as written (`hh:mm:ss`, `dd/mm/yyyy`), empty when absent.
    public var baseTime: String
    public var baseDate: String
    /// The signal specifications (empty in a multi-segment header).
    public var signals: [WFDBSignalSpec]
    /// The segments of a multi-segment record, nil for a single-segment record.
    public var segments: [WFDBSegmentSpec]?
    /// The comment lines, without the leading `#` and spaces.
    public var comments: [String]

    /// True for a multi-segment (master) header.
    public var isMultiSegment: Bool { segments != nil }
}

/// One signal line of a WFDB header.
public struct WFDBSignalSpec: Sendable, Equatable {
    /// The signal file, relative to the header's folder (`~` for none).
    public var fileName: String
    /// The storage format; nil for format 0 (a signal with no stored samples, as in the
    /// layout header of a multi-segment record).
    public var format: WFDBFormat?
    /// Samples of this signal in each frame (multi-rate records have several).
    public var samplesPerFrame: Int
    /// Frames by which this signal lags the frame index (rare; 0 normally).
    public var skew: Int
    /// Bytes before the first sample in the signal file (`16+24` means 24).
    public var byteOffset: Int
    /// ADC units per physical unit.
    public var gain: Double
    /// The stored value that corresponds to a physical 0.
    public var baseline: Int
    /// Physical units (`mV`, `NU`, `mmHg`).
    public var units: String
    /// ADC resolution in bits (0 when absent).
    public var resolution: Int
    /// ADC zero (0 when absent).
    public var adcZero: Int
    /// The first sample's value (used by the difference format 8).
    public var initialValue: Int
    /// The signal's name (`II`, `PLETH`), the description field.
    public var name: String
}

/// One segment line of a multi-segment header.
public struct WFDBSegmentSpec: Sendable, Equatable {
    /// The segment's record name; `~` for a gap with no signals.
    public var name: String
    /// Its length in frames.
    public var length: Int
    /// True for a `~` gap.
    public var isGap: Bool { name == "~" }
}

// MARK: - Parsing

extension WFDBHeader {
    /// Reads and parses the header at `url`.
    /// - Throws: `ImportError` naming the file when it is missing, unreadable or malformed.
    public static func read(_ url: URL) throws -> WFDBHeader {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ImportError.unreadable(url, missing: "no such WFDB header", unreadable: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw ImportError(url, "the header is not text")
        }
        do {
            return try parse(text)
        } catch let e as HeaderSyntax {
            throw ImportError(url, "invalid WFDB header: \(e.message)")
        }
    }

    /// A syntax problem in a header's text.
    struct HeaderSyntax: Error { var message: String }

    /// Parses the text of a header.
    static func parse(_ text: String) throws -> WFDBHeader {
        var comments: [String] = []
        var lines: [Substring] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0.isNewline }) {
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty { continue }
            if line.first == "#" {
                comments.append(String(line.dropFirst().drop(while: { $0 == " " || $0 == "\t" })))
                continue
            }
            lines.append(line)
        }
        guard let recordLine = lines.first else { throw HeaderSyntax(message: "no record line") }
        let fields = recordLine.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else { throw HeaderSyntax(message: "record line '\(recordLine)' has fewer than 2 fields") }

        var name = String(fields[0])
        var segmentCount: Int?
        if let slash = name.firstIndex(of: "/") {
            guard let n = Int(name[name.index(after: slash)...]), n >= 0 else {
                throw HeaderSyntax(message: "bad segment count in '\(fields[0])'")
            }
            segmentCount = n
            name = String(name[..<slash])
        }
        guard let signalCount = Int(fields[1]), signalCount >= 0 else {
            throw HeaderSyntax(message: "bad signal count '\(fields[1])'")
        }
        var frequency = 250.0
        if fields.count > 2 {
            // fs[/counter[(base)]]
            let fsText = fields[2].prefix(while: { $0 != "/" })
            guard let fs = Double(fsText), fs > 0, fs.isFinite else {
                throw HeaderSyntax(message: "bad sampling frequency '\(fields[2])'")
            }
            frequency = fs
        }
        var length: Int?
        if fields.count > 3 {
            guard let n = Int(fields[3]), n >= 0 else { throw HeaderSyntax(message: "bad record length '\(fields[3])'") }
            length = n
        }
        let baseTime = fields.count > 4 ? String(fields[4]) : ""
        let baseDate = fields.count > 5 ? String(fields[5]) : ""

        var header = WFDBHeader(recordName: name, signalCount: signalCount, frequency: frequency,
                                length: length, baseTime: baseTime, baseDate: baseDate,
                                signals: [], segments: nil, comments: comments)
        let body = lines.dropFirst()
        if let segmentCount {
            guard body.count >= segmentCount else {
                throw HeaderSyntax(message: "\(segmentCount) segments announced, \(body.count) segment lines found")
            }
            var segments: [WFDBSegmentSpec] = []
            for line in body.prefix(segmentCount) {
                let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard f.count >= 2, let n = Int(f[1]), n >= 0 else {
                    throw HeaderSyntax(message: "bad segment line '\(line)'")
                }
                segments.append(WFDBSegmentSpec(name: String(f[0]), length: n))
            }
            header.segments = segments
        } else {
            guard body.count >= signalCount else {
                throw HeaderSyntax(message: "\(signalCount) signals announced, \(body.count) signal lines found")
            }
            header.signals = try body.prefix(signalCount).map { try parseSignal($0) }
        }
        return header
    }

    /// Parses one signal line:
    /// `file format[xspf][:skew][+offset] [gain[(baseline)][/units] [res [zero [init [checksum [block [name…]]]]]]]`.
    static func parseSignal(_ line: Substring) throws -> WFDBSignalSpec {
        var rest = line[...]
        func nextField() -> Substring? {
            rest = rest.drop(while: { $0 == " " || $0 == "\t" })
            guard !rest.isEmpty else { return nil }
            let field = rest.prefix(while: { $0 != " " && $0 != "\t" })
            rest = rest[field.endIndex...]
            return field
        }
        guard let file = nextField(), let formatField = nextField() else {
            throw HeaderSyntax(message: "signal line '\(line)' has no format")
        }
        // format[xspf][:skew][+offset]
        var f = formatField[...]
        let code = f.prefix(while: { $0.isNumber })
        f = f[code.endIndex...]
        let format = WFDBFormat(rawValue: String(code))
        guard format != nil || code == "0" else {
            throw HeaderSyntax(message: "unsupported signal format '\(formatField)'")
        }
        func number(after marker: Character) throws -> Int? {
            guard f.first == marker else { return nil }
            let digits = f.dropFirst().prefix(while: { $0.isNumber })
            f = f.dropFirst()[digits.endIndex...]
            guard let n = Int(digits) else { throw HeaderSyntax(message: "bad format field '\(formatField)'") }
            return n
        }
        let spf = try number(after: "x") ?? 1
        let skew = try number(after: ":") ?? 0
        let offset = try number(after: "+") ?? 0
        guard f.isEmpty, spf >= 1 else { throw HeaderSyntax(message: "bad format field '\(formatField)'") }

        var gain = 200.0, baselineText: Substring?, units = "mV"
        var resolution = 0, adcZero = 0, initialValue = 0, name = ""
        var adcZeroGiven = false
        if let gainField = nextField() {
            var g = gainField[...]
            let gainText = g.prefix(while: { $0 != "(" && $0 != "/" })
            g = g[gainText.endIndex...]
            if !gainText.isEmpty {
                guard let value = Double(gainText), value.isFinite else {
                    throw HeaderSyntax(message: "bad gain '\(gainField)'")
                }
                gain = value == 0 ? 200 : value
            }
            if g.first == "(" {
                guard let close = g.firstIndex(of: ")") else { throw HeaderSyntax(message: "bad baseline in '\(gainField)'") }
                baselineText = g[g.index(after: g.startIndex)..<close]
                g = g[g.index(after: close)...]
            }
            if g.first == "/" { units = String(g.dropFirst()) }
            else if !g.isEmpty { throw HeaderSyntax(message: "bad gain field '\(gainField)'") }

            if let r = nextField() {
                guard let v = Int(r) else { throw HeaderSyntax(message: "bad ADC resolution '\(r)'") }
                resolution = v
                if let z = nextField() {
                    guard let v = Int(z) else { throw HeaderSyntax(message: "bad ADC zero '\(z)'") }
                    adcZero = v; adcZeroGiven = true
                    if let i = nextField() {
                        guard let v = Int(i) else { throw HeaderSyntax(message: "bad initial value '\(i)'") }
                        initialValue = v
                        if let c = nextField() {
                            guard Int(c) != nil else { throw HeaderSyntax(message: "bad checksum '\(c)'") }
                            if let b = nextField() {
                                guard Int(b) != nil else { throw HeaderSyntax(message: "bad block size '\(b)'") }
                                name = String(rest.drop(while: { $0 == " " || $0 == "\t" }))
                                    .trimmingCharacters(in: .whitespaces)
                            }
                        }
                    }
                }
            }
        }
        var baseline = adcZeroGiven ? adcZero : 0
        if let baselineText {
            guard let b = Int(baselineText) else { throw HeaderSyntax(message: "bad baseline '\(baselineText)'") }
            baseline = b
        }
        return WFDBSignalSpec(fileName: String(file), format: format, samplesPerFrame: spf, skew: skew,
                              byteOffset: offset, gain: gain, baseline: baseline, units: units,
                              resolution: resolution, adcZero: adcZero, initialValue: initialValue, name: name)
    }
}
