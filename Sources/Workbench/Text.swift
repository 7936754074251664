import Foundation
import Store

// MARK: - Text helpers for the panes

/// `s` cut or padded with spaces to exactly `width` columns (left-aligned); a cut ends in "…".
func fit(_ s: String, _ width: Int) -> String {
    guard width > 0 else { return "" }
    if s.count <= width { return s + String(repeating: " ", count: width - s.count) }
    return width == 1 ? "…" : String(s.prefix(width - 1)) + "…"
}

/// `s` right-aligned in `width` columns (cut from the left when too long).
func rfit(_ s: String, _ width: Int) -> String {
    guard width > 0 else { return "" }
    if s.count <= width { return String(repeating: " ", count: width - s.count) + s }
    return String(s.suffix(width))
}

/// Words of `text` wrapped to lines of at most `width` columns (long words are cut).
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = [], line = ""
    for word in text.split(separator: " ") {
        var w = String(word)
        while w.count > width { if !line.isEmpty { lines.append(line); line = "" }; lines.append(String(w.prefix(width))); w = String(w.dropFirst(width)) }
        if line.isEmpty { line = w } else if line.count + 1 + w.count <= width { line += " " + w } else { lines.append(line); line = w }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}

/// A number with thousands separators ("12,345").
func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}

/// Display text of a fingerprint mode ("ECG+PPG", "ECG", "PPG").
func modeTitle(_ m: FingerprintMode) -> String { m.rawValue.uppercased() }

/// The subject labels in short form: rhythm, hypertension, age and sex ("AF · HT · 63 M").
public func labelSummary(_ l: SubjectLabels) -> String {
    var parts: [String] = []
    if let c = l.ecgClass { parts.append(ECGClass.names[Int(c.rawValue)]) }
    if l.hypertension == true { parts.append("HT") }
    var who = ""
    if let a = l.age { who += String(Int(a.rounded())) }
    if let sex = l.sex { who += (who.isEmpty ? "" : " ") + (sex == .female ? "F" : "M") }
    if !who.isEmpty { parts.append(who) }
    return parts.isEmpty ? "—" : parts.joined(separator: " · ")
}
