import Foundation
import Testing
import TerminalUI

/// Compares a frame's text with `Snapshots/<name>.txt` beside this file. With
/// `M2AE_UPDATE_SNAPSHOTS=1` the file is (re)written instead; a missing file is a failure.
func expectSnapshot(_ frame: Buffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    let actual = frame.lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["M2AE_UPDATE_SNAPSHOTS"] == "1" {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing snapshot \(url.path); run with M2AE_UPDATE_SNAPSHOTS=1 and review it", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "frame differs from \(name).txt:\n\(frame)", sourceLocation: sourceLocation)
}

/// Line `row` of a frame as text.
func line(_ frame: Buffer, _ row: Int) -> String { frame.lines[row] }

/// Every line of a frame joined, for `contains` checks.
func text(_ frame: Buffer) -> String { frame.lines.joined(separator: "\n") }
