import Foundation
import Testing
import TerminalUI
import Store
@testable import Workbench

/// Issue 18 items 4, 6 and 7: sorting and filtering keep the user's segment, demos stop on
/// a key and leave the view as they found it, and the keys do what the help says.
@Suite struct KeysAndDemoTests {
    static let services = SyntheticServices(subjects: 20, segmentsPerSubject: 10)

    func session(_ w: Int = 80, _ h: Int = 24) -> HeadlessSession { HeadlessSession(services: Self.services, width: w, height: h) }

    // MARK: - Item 4

    @Test func sortCyclesOnlyVisibleColumnsAndTheMarkAlwaysShows() {
        var s = session(120, 36)
        let shown = RecordsPane.columns(s.state).map(\.col)
        var seen: [SortColumn] = []
        for _ in 0..<shown.count {
            s.press(.char("s"))
            seen.append(s.state.sort)
            let header = line(s.frame, 2)
            #expect(header.contains("▲"), "no ▲ sorting by \(s.state.sort): '\(header)'")
            #expect(!header.contains("…"))
        }
        #expect(seen == Array(shown.dropFirst()) + [.subject])
        // The mark never shifts the columns: the header keeps each column's start.
        s.press(.char("s"), .char("s"))   // t, rhythm
        s.press(.char("S"))
        #expect(line(s.frame, 2).contains("rhythm▼"))
        expectSnapshot(s.frame, "records-120x36-rhythm-descending")
    }

    @Test func sortingKeepsTheSelectedSegment() {
        var s = session(120, 36)
        for _ in 0..<57 { s.press(.down) }
        let chosen = s.state.current!.index
        for _ in 0..<6 { s.press(.char("s")); #expect(s.state.current?.index == chosen) }
        s.press(.char("S"))
        #expect(s.state.current?.index == chosen)
    }

    @Test func filteringKeepsTheSegmentOrTheNearestAndComesBack() throws {
        var s = session()
        // S0001 is AF: segment 15. Under NSR it is hidden, so the nearest NSR segment is shown.
        for _ in 0..<15 { s.press(.down) }
        #expect(s.state.current?.index == 15 && s.state.current?.labels.ecgClass == .atrialFibrillation)
        s.press(.char("f"))
        #expect(s.state.filter == .rhythm(.normal))
        let nearest = try #require(s.state.current)
        #expect(nearest.labels.ecgClass == .normal)
        let nsr = s.state.visible.map { s.state.records[$0].index }
        #expect(nsr.allSatisfy { abs($0 - 15) >= abs(nearest.index - 15) })
        // Every other filter, then all: segment 15 again, not the row number.
        for _ in 1..<LabelFilter.cycle.count { s.press(.char("f")) }
        #expect(s.state.filter == .all && s.state.current?.index == 15)
        // Chosen under a filter, kept when the filter goes (1,040/1,104 under NSR → all).
        s.press(.char("f"))
        s.press(.char("G"))
        let last = try #require(s.state.current?.index)
        for _ in 1..<LabelFilter.cycle.count { s.press(.char("f")) }
        #expect(s.state.filter == .all && s.state.current?.index == last)
        #expect(line(s.frame, 1).contains("Records \(s.state.selected + 1)/200"))
    }

    // MARK: - Item 6

    @Test func aUserKeyStopsADemoAndIsNotApplied() {
        for key in [Key.char("G"), .escape, .down, .tab] {
            var s = session()
            s.send(.demoPlaying(true))
            s.send(.caption("Welcome"))
            s.send(.demoKey(.down))
            #expect(s.state.selected == 1)
            s.send(.key(key))
            #expect(!s.state.demoPlaying && s.state.caption == nil && s.state.selected == 1 && s.state.focus == .records, "\(key)")
            #expect(s.terminalEffects.last == .stopDemo)
            #expect(s.state.message?.contains("demo stopped") == true)
            s.press(.char("G"))   // afterwards keys act
            #expect(s.state.selected == 199)
        }
        var q = session()
        q.send(.demoPlaying(true))
        q.press(.char("q"))
        #expect(q.state.quit)
        var mouse = session()
        mouse.send(.demoPlaying(true))
        mouse.send(.mouse(x: 3, y: 8, .press))
        #expect(!mouse.state.demoPlaying && mouse.state.selected == 0)
    }

    @Test func theTourLeavesTheViewAsItFoundIt() throws {
        let tour = try KeyScript(parsing: Tour.text, source: "tour")
        var s = session()
        let before = s.state
        s.send(.demoPlaying(true))
        for (_, step) in tour.steps {
            switch step {
            case .key(let k): s.send(.demoKey(k))
            case .caption(let c):
                s.send(.caption(c))
                // Every caption fits one row at 80 columns.
                #expect(ScreenLayout.captionLines(c, width: 80).count <= 1, "\(c ?? "")")
            }
        }
        s.send(.demoPlaying(false))
        #expect(s.state.filter == before.filter && s.state.sort == before.sort && !s.state.descending)
        #expect(s.state.includeSameSubject == before.includeSameSubject && s.state.mode == before.mode)
        #expect(s.state.caption == nil && !s.state.showHelp && !s.state.zoomed && s.state.timeZoom == 1)
        #expect(!s.state.quit && s.terminalEffects.isEmpty)
    }

    @Test func aLongCaptionWrapsToTwoRowsWithAnEllipsisOnlyWhenCut() {
        var s = session(60, 16)
        let caption = "Masked mode: [ and ] change how much is hidden, Space toggles the patch under the cursor."
        s.send(.caption(caption))
        let f = s.frame
        let layout = ScreenLayout(s.state)
        #expect(layout.bar.height == 2)
        let shown = (layout.bar.y..<layout.bar.bottom).map { line(f, $0).trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(shown == caption)
        expectSnapshot(f, "caption-60x16")
        // The old tour's caption that was cut at 80 columns: whole, over two rows.
        var wide = session(80, 24)
        wide.send(.caption(caption))
        expectSnapshot(wide.frame, "caption-80x24")
        #expect(ScreenLayout.captionLines(caption, width: 80).joined(separator: " ") == caption)
        #expect(line(wide.frame, 21).contains("Masked mode:") && line(wide.frame, 22).contains("the cursor."))
        s.send(.caption(String(repeating: "word ", count: 40)))
        let cut = ScreenLayout.captionLines(s.state.caption, width: 60)
        #expect(cut.count == 2 && cut[1].hasSuffix("…"))
    }

    @Test func exportMakesAMissingFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("figures/today")
        let paths = try exportFrame(session().frame, to: folder, colors: false)
        #expect(paths.allSatisfy { FileManager.default.fileExists(atPath: $0) })
    }

    // MARK: - Item 7

    @Test func helpGoesToTheEndWithG() {
        var s = session()
        s.press(.char("?"))
        s.press(.char("G"))
        #expect(s.state.helpScroll == HelpPane.maxScroll(s.state) && s.state.helpScroll > 0)
        #expect(text(s.frame).contains(KeyMap.bindings.last { $0.pane == .projection }!.help))
        s.press(.char("g"))
        #expect(s.state.helpScroll == 0)
    }

    @Test func zoomedReconstructionPansAndShowsTheZoom() {
        var s = session()
        s.press(.tab, .tab, .char("+"))
        #expect(s.state.focus == .reconstruction && s.state.timeZoom == 2)
        #expect(text(s.frame).contains("Reconstruction · PPG → ECG · ×2"))
        // Cross-modal: , and . pan.
        let start = s.state.timeStart
        s.press(.char("."))
        #expect(s.state.timeStart > start)
        s.press(.char("<"), .char("<"), .char("<"), .char("<"))
        #expect(s.state.timeStart == 0)
        // Masked: , and . move the patch cursor and the view follows it.
        s.press(.char("r"), .char("r"))
        for _ in 0..<40 { s.press(.char(".")) }
        #expect(s.state.patchCursor == 40)
        let window = 1250 / s.state.timeZoom
        #expect(s.state.timeStart <= 40 * 25 && 41 * 25 <= s.state.timeStart + window)
        s.press(.char(">"))   // < and > pan in every mode
        #expect(s.state.patchCursor == 40)
    }

    @Test func theFunctionBarShowsTheFocusedPanesKeysFirst() {
        var s = session()
        s.press(.tab, .tab)
        let bar = line(s.frame, 22)
        #expect(bar.hasPrefix("rMode  [Fewer  ]More  SpaceHide  +Zoom"), "\(bar)")
        s.press(.backTab)
        #expect(line(s.frame, 22).hasPrefix("+Zoom  -Out  ,Earlier  .Later"))
        for _ in 0..<3 { s.press(.tab) }
        #expect(line(s.frame, 22).hasPrefix("pPCA/UMAP  cColour  EnterGo"))
    }

    @Test func ctrlZSuspends() {
        var s = session()
        s.press(.ctrl("z"))
        #expect(s.terminalEffects == [.suspend] && !s.state.quit)
    }
}
