import TerminalUI
import Store

// MARK: - Colours of the workbench

/// The workbench's colour choices in one place.
enum Theme {
    static let ecg = Color.green
    static let ppg = Color.cyan
    static let rPeak = Color.red
    static let ppgPeak = Color.yellow
    static let original = Color.white
    static let reconstructed = Color.magenta
    static let accent = Color.cyan

    /// The frame of a pane: highlighted when focused.
    static func frame(_ focused: Bool) -> (border: Style, title: Style) {
        focused ? (Style(fg: accent), Style(fg: accent, .bold)) : (Style(.dim), Style.bold)
    }

    /// The class of a row under a label (an index into `legend(label)`), nil when unknown.
    static func group(_ label: ColorLabel, _ row: RecordRow) -> Int? {
        switch label {
        case .rhythm: return row.labels.ecgClass.map { Int($0.rawValue) }
        case .hypertension: return row.labels.hypertension.map { $0 ? 0 : 1 }
        case .sex: return row.labels.sex.map { $0 == .female ? 0 : 1 }
        case .age: return row.labels.age.map { $0 < 40 ? 0 : $0 < 60 ? 1 : 2 }
        case .subject: return row.subjectIndex % subjectCycle
        case .label(let l): return l.group(row)
        }
    }

    /// True when the row's label is known (so colouring by it says something).
    static func knows(_ label: ColorLabel, _ row: RecordRow) -> Bool { group(label, row) != nil }

    /// Subjects cycle through this many colours (and glyphs).
    static let subjectCycle = 6
    private static let subjectColors: [Color] = [.green, .yellow, .blue, .magenta, .cyan, .red]

    /// The colour of a row for a label (default when the label is unknown).
    static func color(_ label: ColorLabel, _ row: RecordRow) -> Color {
        guard let g = group(label, row) else { return .default }
        return label == .subject ? subjectColors[g] : legend(label)[min(g, legend(label).count - 1)].0
    }

    /// The glyph of a class when there is no colour (`NO_COLOR`): one per legend entry, "."
    /// for an unknown label.
    static let glyphs: [Character] = ["o", "x", "+", "*", "#", "%"]
    static let unknownGlyph: Character = "."

    /// Legend entries (colour, text) for a label, one per class; the subject classes have no
    /// text (the pane says "subjects in turn").
    static func legend(_ label: ColorLabel) -> [(Color, String)] {
        switch label {
        case .rhythm: return zip([Color.green, .red, .yellow, .magenta, .blue], ECGClass.names).map { ($0, $1) }
        case .hypertension: return [(.red, "hypertensive"), (.green, "normotensive")]
        case .sex: return [(.magenta, "female"), (.blue, "male")]
        case .age: return [(.green, "<40"), (.yellow, "40–59"), (.red, "≥60")]
        case .subject: return subjectColors.map { ($0, "") }
        case .label(let l): return l.legend
        }
    }
}
