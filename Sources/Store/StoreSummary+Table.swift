import Foundation

// MARK: - Human-readable table

extension StoreSummary {
    /// The summary as the plain-text table `m2ae info` prints (no colours, fixed columns).
    public func table() -> String {
        var lines: [String] = []
        lines.append("store     \(path)  (\(format) v\(schemaVersion))")
        lines.append("segments  \(Self.grouped(segments))  (\(Self.hours(segments)) of paired ECG/PPG)")
        lines.append("subjects  \(Self.grouped(subjects))")
        for (k, v) in attributes.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(Self.pad(k, 12)) \(Self.oneLine(v))")
        }

        lines.append("")
        lines.append("labels        subjects  segments  classes (subjects)")
        for l in labels {
            let classes = l.classes.map { "\($0.name) \(Self.grouped($0.subjects))" }.joined(separator: " · ")
            lines.append("  \(Self.pad(l.field, 12)) \(Self.lpad(Self.grouped(l.subjects), 8))  \(Self.lpad(Self.grouped(l.segments), 8))  \(classes)")
        }

        if !labelTable.isEmpty {
            lines.append("")
            lines.append("label table    kind         scope    subjects  segments  values (segments)")
            for l in labelTable {
                let values = l.classes.isEmpty
                    ? l.min.map { "\(Self.number($0)) – \(Self.number(l.max ?? $0))" } ?? ""
                    : l.classes.map { "\($0.name) \(Self.grouped($0.segments))" }.joined(separator: " · ")
                lines.append("  \(Self.pad(l.name, 12)) \(Self.pad(l.kind, 12)) \(Self.pad(l.scope, 8))\(Self.lpad(Self.grouped(l.subjects), 9))  \(Self.lpad(Self.grouped(l.segments), 8))  \(values)")
            }
        }

        lines.append("")
        let names = QualityFlags.named.map(\.1)
        lines.append("quality       " + (["clean"] + names).map { Self.lpad($0, 8) }.joined(separator: " "))
        for m in Modality.allCases {
            guard let q = quality[m.rawValue] else { continue }
            let cells = [q.clean] + q.flags.map(\.segments)
            lines.append("  \(Self.pad(m.rawValue, 12))" + cells.map { Self.lpad(Self.grouped($0), 8) }.joined(separator: " "))
        }

        lines.append("")
        lines.append("rates         segments  median  (clean 10-s segments)")
        let bpm = { (v: Double?) in v.map { String(format: "%.1f", $0) } ?? "-" }
        lines.append("  heart (ECG) \(Self.lpad(Self.grouped(rates.ecgSegments), 9))  \(Self.lpad(bpm(rates.medianHeartRate), 6))  bpm")
        lines.append("  pulse (PPG) \(Self.lpad(Self.grouped(rates.ppgSegments), 9))  \(Self.lpad(bpm(rates.medianPulseRate), 6))  bpm")
        let over = Int(RateSummary.disagreementBPM)
        lines.append("  apart > \(over) bpm: \(Self.grouped(rates.disagreeingSegments)) of \(Self.grouped(rates.pairedSegments)) segments with both")

        lines.append("")
        if models.isEmpty {
            lines.append("models        none (run `m2ae embed`)")
        } else {
            lines.append("models")
            for m in models {
                let dim = m.dim.map { "dim \($0)" } ?? "no fingerprints"
                let fp = m.fingerprints.isEmpty ? "" : "  fingerprints \(m.fingerprints.joined(separator: ", "))"
                let pr = m.projections.isEmpty ? "" : "  projections \(m.projections.joined(separator: ", "))"
                lines.append("  \(m.id)  \(dim)\(fp)\(pr)")
                let others = m.matrices.filter { !$0.path.hasPrefix("fingerprints/") && !$0.path.hasPrefix("projections/") }
                for x in others { lines.append("    \(x.path) \(x.shape.map(String.init).joined(separator: "×"))") }
                for (k, v) in m.attributes.sorted(by: { $0.key < $1.key }) {
                    lines.append("    \(Self.pad(k, 18)) \(Self.oneLine(v))")
                }
            }
        }
        return lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// A label value as short text: whole numbers without a fraction, others with 4 significant digits.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.4g", x)
    }

    /// Segments as hours and minutes of 10-s segments: "2 h 05 min".
    static func hours(_ segments: Int) -> String {
        let minutes = Int((Double(segments) * SegmentFormat.seconds / 60).rounded())
        return minutes >= 60 ? String(format: "%d h %02d min", minutes / 60, minutes % 60) : "\(minutes) min"
    }

    private static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    private static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

    /// Long or multi-line attribute values (config JSON) shown on one line, cut at 100 characters.
    private static func oneLine(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 100 ? String(flat.prefix(99)) + "…" : flat
    }
}
