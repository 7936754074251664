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

    /// The colour of a row for a label, and the legend of that label.
    static func color(_ label: ColorLabel, _ row: RecordRow) -> Color {
        switch label {
        case .rhythm:
            guard let c = row.labels.ecgClass else { return .default }
            return [Color.green, .red, .yellow, .magenta, .blue][Int(c.rawValue)]
        case .hypertension:
            guard let h = row.labels.hypertension else { return .default }
            return h ? .red : .green
        case .sex:
            guard let s = row.labels.sex else { return .default }
            return s == .female ? .magenta : .blue
        case .age:
            guard let a = row.labels.age else { return .default }
            return a < 40 ? .green : a < 60 ? .yellow : .red
        case .subject:
            return [Color.green, .yellow, .blue, .magenta, .cyan, .red][row.subjectIndex % 6]
        }
    }

    /// Legend entries (colour, text) for a label.
    static func legend(_ label: ColorLabel) -> [(Color, String)] {
        switch label {
        case .rhythm: return zip([Color.green, .red, .yellow, .magenta, .blue], ECGClass.names).map { ($0, $1) }
        case .hypertension: return [(.red, "hypertensive"), (.green, "normotensive")]
        case .sex: return [(.magenta, "female"), (.blue, "male")]
        case .age: return [(.green, "<40"), (.yellow, "40–59"), (.red, "≥60")]
        case .subject: return [(.default, "one colour per subject (6 cycle)")]
        }
    }
}
