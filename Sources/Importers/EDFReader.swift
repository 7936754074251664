import Foundation

/// Reads EDF, EDF+ (continuous `EDF+C` and discontinuous `EDF+D`) and BDF files.
///
/// Hand-written from the EDF/EDF+ specifications (edfplus.info): a fixed-width ASCII header,
/// then data records holding each signal's samples as 16-bit (EDF) or 24-bit (BDF)
/// little-endian integers. Physical values are computed as EDFlib (and so pyedflib) does:
/// `bitvalue × (offset + digital)`, `bitvalue = (pmax − pmin) / (dmax − dmin)`,
/// `offset = pmax / bitvalue − dmax`. `EDF Annotations` signals are not channels; in EDF+D
/// their time-keeping stamps place each data record, and a jump starts a new part.
public enum EDFReader {
    /// One signal's header fields.
    struct SignalHeader {
        var label: String
        var units: String
        var physicalMin: Double, physicalMax: Double
        var digitalMin: Int, digitalMax: Int
        var samplesPerRecord: Int
        var isAnnotation: Bool { label == "EDF Annotations" || label == "BDF Annotations" }
    }

    // MARK: - API

    /// Reads the file at `url`.
    /// - Throws: `ImportError` naming the file: a malformed or truncated header, a file
    ///   shorter than its data records, impossible scaling fields.
    public static func read(_ url: URL) throws -> Recording {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ImportError.unreadable(url, missing: "no such file", unreadable: "cannot read the file")
        }
        guard data.count >= 256 else { throw ImportError(url, "truncated EDF header (\(data.count) bytes)") }
        let bytes = [UInt8](data)
        func field(_ start: Int, _ length: Int) -> String {
            String(decoding: bytes[start..<(start + length)], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        }
        let isBDF = bytes[0] == 0xFF
        guard isBDF || field(0, 8) == "0" else { throw ImportError(url, "not an EDF file (version field '\(field(0, 8))')") }
        let width = isBDF ? 3 : 2
        let reserved = field(192, 44)
        let discontinuous = reserved.hasPrefix("EDF+D") || reserved.hasPrefix("BDF+D")
        guard let headerBytes = Int(field(184, 8)), let ns = Int(field(252, 4)), ns > 0,
              let recordDuration = Double(field(244, 8)), recordDuration.isFinite, recordDuration > 0 else {
            throw ImportError(url, "invalid EDF header (header size, signal count or record duration)")
        }
        guard headerBytes == 256 * (ns + 1), bytes.count >= headerBytes else {
            throw ImportError(url, "truncated or invalid EDF header (\(ns) signals need \(256 * (ns + 1)) header bytes)")
        }
        var signals: [SignalHeader] = []
        for i in 0..<ns {
            func sf(_ offset: Int, _ length: Int) -> String { field(256 + offset * ns + i * length, length) }
            guard let pmin = Double(sf(104, 8)), let pmax = Double(sf(112, 8)),
                  let dmin = Int(sf(120, 8)), let dmax = Int(sf(128, 8)),
                  let spr = Int(field(256 + 216 * ns + i * 8, 8)), spr > 0 else {
                throw ImportError(url, "invalid EDF header fields for signal \(i + 1) '\(sf(0, 16))'")
            }
            let s = SignalHeader(label: sf(0, 16), units: sf(96, 8), physicalMin: pmin, physicalMax: pmax,
                                 digitalMin: dmin, digitalMax: dmax, samplesPerRecord: spr)
            guard s.isAnnotation || (dmax > dmin && pmax != pmin) else {
                throw ImportError(url, "signal '\(s.label)' has impossible scaling (digital \(dmin)…\(dmax), physical \(pmin)…\(pmax))")
            }
            signals.append(s)
        }
        let recordBytes = signals.reduce(0) { $0 + $1.samplesPerRecord * width }
        let available = (bytes.count - headerBytes) / recordBytes
        // The number of data records: a count, or -1 while a recorder is still writing (then the
        // file's size says). Anything else (`abc`, `nan`, empty, non-ASCII digits) is an error.
        let recordsField = field(236, 8)
        guard let declared = Int(recordsField), declared >= -1 else {
            throw ImportError(url, "invalid EDF header: number of data records '\(recordsField)' is not a count (or -1)")
        }
        let records = declared >= 0 ? declared : available
        guard available >= records else {
            throw ImportError(url, "truncated: the header announces \(records) data records, the file holds \(available)")
        }

        // Record onsets (seconds): from the time-keeping annotation in EDF+D, else back to back.
        var onsets = (0..<records).map { Double($0) * recordDuration }
        if discontinuous, let a = signals.firstIndex(where: \.isAnnotation) {
            let at = signals[..<a].reduce(0) { $0 + $1.samplesPerRecord * width }
            for r in 0..<records {
                let start = headerBytes + r * recordBytes + at
                let tal = bytes[start..<(start + signals[a].samplesPerRecord * width)]
                let stamp = tal.prefix(while: { $0 != 0x14 })
                guard let onset = Double(String(decoding: stamp, as: UTF8.self)), onset.isFinite else {
                    throw ImportError(url, "EDF+D data record \(r + 1) has no time-keeping annotation")
                }
                onsets[r] = onset
            }
        }

        // Runs of back-to-back records become parts.
        var runs: [Range<Int>] = []
        var first = 0
        for r in 1..<max(records, 1) where abs(onsets[r] - (onsets[r - 1] + recordDuration)) > 1e-9 {
            runs.append(first..<r); first = r
        }
        if records > 0 { runs.append(first..<records) }

        let name = url.deletingPathExtension().lastPathComponent
        var parts: [RecordingPart] = []
        for run in runs {
            var channels: [Channel] = []
            var offsetInRecord = 0
            for s in signals {
                defer { offsetInRecord += s.samplesPerRecord * width }
                if s.isAnnotation { continue }
                let bitValue = (s.physicalMax - s.physicalMin) / Double(s.digitalMax - s.digitalMin)
                let offset = s.physicalMax / bitValue - Double(s.digitalMax)
                var samples = [Double](repeating: 0, count: run.count * s.samplesPerRecord)   // (records × spr,)
                var k = 0
                for r in run {
                    let base = headerBytes + r * recordBytes + offsetInRecord
                    for j in 0..<s.samplesPerRecord {
                        let p = base + j * width
                        let digital: Int32 = width == 2
                            ? Int32(Int16(bitPattern: UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8))
                            : Int32(bitPattern: (UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16) << 8) >> 8
                        samples[k] = bitValue * (offset + Double(digital))
                        k += 1
                    }
                }
                channels.append(Channel(name: s.label, units: s.units, rate: Double(s.samplesPerRecord) / recordDuration, samples: samples))
            }
            guard !channels.isEmpty else { throw ImportError(url, "the file has no signals besides annotations") }
            parts.append(RecordingPart(start: onsets[run.lowerBound], label: name, channels: channels))
        }
        guard !parts.isEmpty else { throw ImportError(url, "the file holds no data records") }
        let kind = isBDF ? "BDF" : "EDF"
        let format = reserved.hasPrefix("EDF+C") || reserved.hasPrefix("BDF+C") ? kind + "+C" : discontinuous ? kind + "+D" : kind
        return Recording(name: name, format: format, parts: parts,
                         comments: [field(8, 80), field(88, 80)].filter { !$0.isEmpty })
    }
}
