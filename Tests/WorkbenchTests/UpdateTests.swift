import Testing
import TerminalUI
import Store
@testable import Workbench

/// Key-sequence tests of `update`, driven through `HeadlessSession` (effects run inline).
@Suite struct UpdateTests {
    static let services = SyntheticServices(subjects: 20, segmentsPerSubject: 10)
    func session() -> HeadlessSession { HeadlessSession(services: Self.services, width: 80, height: 24) }

    @Test func startLoadsRecordsAndTheFirstSegment() {
        let s = session()
        #expect(s.state.records.count == 200)
        #expect(s.state.current?.index == 0)
        #expect(s.state.trace?.index == 0)
        #expect(s.state.neighboursKey == SegmentFingerprintKey(index: 0, mode: .both))
        #expect(s.state.running.isEmpty)
    }

    @Test func movingTheSelectionAsksForTheNewSegment() {
        var state = session().state
        let effects = update(&state, .key(.down))
        #expect(state.current?.index == 1)
        #expect(effects == [.loadTrace(1), .reconstruct(1, .ppgToECG, AppState.mask(ratio: 0.5, seed: 1)),
                            .findNeighbours(1, .both, k: 10, sameSubject: false), .predict(1, .both)])
        #expect(state.running == [.trace, .reconstruction, .neighbours, .predictions])
        // Arrow at the top edge is a no-op with no effects.
        var top = session().state
        #expect(update(&top, .key(.up)).isEmpty)
    }

    @Test func staleResultsAreIgnored() throws {
        var s = session()
        s.press(.down, .down)
        var state = s.state
        let old = try Self.services.trace(0)
        _ = update(&state, .traceLoaded(0, .success(old)))
        #expect(state.trace?.index == 2)
        _ = update(&state, .neighboursLoaded(2, .ecg, .success([])))   // wrong mode
        #expect(!state.neighbours.isEmpty)
    }

    @Test func pagingAndEnds() {
        var s = session()
        s.press(.char("G"))
        #expect(s.state.selected == 199)
        s.press(.char("g"), .pageDown)
        #expect(s.state.selected == 18)   // Records rows on 80×24: 21-row pane − 3
        s.press(.end, .down)
        #expect(s.state.selected == 199)
    }

    @Test func leftRightStepThroughTheSubjectsSegments() {
        var s = session()
        s.press(.char("j"), .char("j"), .char("j"))   // S0000 @30s
        s.press(.right)
        #expect(s.state.current?.start == 40 && s.state.current?.subject == "S0000")
        s.press(.left, .left)
        #expect(s.state.current?.start == 20)
        s.press(.char("g"), .left)
        #expect(s.state.current?.index == 0)
        #expect(s.state.message == "no earlier segment of S0000")
    }

    @Test func searchJumpsToMatchesAndNCycles() {
        var s = session()
        s.press(.char("/"))
        #expect(s.state.searchInput == "")
        for ch in "s0012" { s.press(.char(ch)) }
        s.press(.backspace, .char("3"), .enter)
        #expect(s.state.searchInput == nil && s.state.search == "s0013")
        #expect(s.state.current?.subject == "S0013" && s.state.current?.start == 0)
        // One subject matches: n has nowhere else to go and says so.
        s.press(.char("n"))
        #expect(s.state.current?.subject == "S0013" && s.state.current?.start == 0)
        #expect(s.state.message == "only S0013 matches \"s0013\"")
        s.press(.char("/"), .char("z"), .char("z"), .escape)
        #expect(s.state.search == "s0013")
        s.press(.char("/"), .char("q"), .enter)   // q is text while searching, not quit
        #expect(!s.state.quit && s.state.message == "no match for \"q\"")
        // A failed search is not left in the border.
        #expect(s.state.search.isEmpty && !text(s.frame).contains("/q (n/N)"))
    }

    /// Issue 18 item 7: a search naming subjects steps by subject (each subject's first
    /// segment), not segment by segment; Esc clears it from the border.
    @Test func nAndNJumpBySubject() {
        var s = session()
        s.press(.char("/"))
        for ch in "s001" { s.press(.char(ch)) }
        s.press(.enter)
        #expect(s.state.current?.subject == "S0010" && s.state.current?.start == 0)
        s.press(.char("n"))
        #expect(s.state.current?.subject == "S0011" && s.state.current?.start == 0)
        s.press(.char("n"), .char("n"))
        #expect(s.state.current?.subject == "S0013" && s.state.current?.start == 0)
        s.press(.down, .down, .char("N"))   // from S0013 @20s back to S0012's first segment
        #expect(s.state.current?.subject == "S0012" && s.state.current?.start == 0)
        for _ in 0..<8 { s.press(.char("n")) }   // S0014 … S0019, then wraps to S0010
        #expect(s.state.current?.subject == "S0010" && s.state.current?.start == 0)
        #expect(text(s.frame).contains("/s001 (n/N)"))
        s.press(.escape)
        #expect(s.state.search.isEmpty && !text(s.frame).contains("(n/N)"))
    }

    @Test func filterCyclesLabelsAndKeepsTheSelection() {
        var s = session()
        s.press(.char("f"))
        #expect(s.state.filter == .rhythm(.normal))
        #expect(s.state.visible.count == 40)
        #expect(s.state.visible.allSatisfy { s.state.records[$0].labels.ecgClass == .normal })
        s.press(.char("f"))   // AF: the selection moves to the first AF row
        #expect(s.state.current?.labels.ecgClass == .atrialFibrillation)
        for _ in 0..<5 { s.press(.char("\\")) }
        #expect(s.state.filter == .flagged)
        #expect(s.state.visible.allSatisfy { !s.state.records[$0].isClean })
        for _ in 0..<2 { s.press(.char("f")) }
        #expect(s.state.filter == .all && s.state.visible.count == 200)
    }

    @Test func sortByColumnAndReverse() {
        var s = HeadlessSession(services: Self.services, width: 160, height: 40)   // every column shown
        s.press(.char("s"), .char("s"), .char("s"))   // subject → t → rhythm → age
        #expect(s.state.sort == .age)
        let ages = s.state.visible.map { s.state.records[$0].labels.age! }
        #expect(ages == ages.sorted())
        s.press(.char("S"))
        let desc = s.state.visible.map { s.state.records[$0].labels.age! }
        #expect(desc == ages.sorted(by: >))
        for _ in 0..<4 { s.press(.char("s")) }
        #expect(s.state.sort == .risk)
        let risk = s.state.visible.map { s.state.risk![s.state.records[$0].index] }
        #expect(risk == risk.sorted())
    }

    @Test func tabCyclesPanesAndZoomToggles() {
        var s = session()
        var seen: [Pane] = []
        for _ in 0..<6 { seen.append(s.state.focus); s.press(.tab) }
        #expect(seen == Pane.allCases)
        #expect(s.state.focus == .records)
        s.press(.backTab)
        #expect(s.state.focus == .predictions && s.state.detail == .predictions)
        s.press(.char("z"))
        #expect(ScreenLayout(s.state).panes.keys.sorted { $0.rawValue < $1.rawValue } == [.predictions])
        s.press(.escape)
        #expect(!s.state.zoomed && ScreenLayout(s.state).panes.count == 3)
    }

    @Test func fingerprintModeIsOneKeyAndEveryPaneFollows() {
        var s = session()
        s.press(.char("m"))
        #expect(s.state.mode == .ecg)
        #expect(s.state.neighboursKey?.mode == .ecg && s.state.predictionsKey?.mode == .ecg && s.state.projectionKey?.mode == .ecg)
        let frame = text(s.frame)
        #expect(frame.contains("Predictions · ECG ") && frame.contains("mode ECG "))
        s.press(.char("m"), .char("m"))
        #expect(s.state.mode == .both)
    }

    @Test func timeZoomAndPan() {
        var s = session()
        s.press(.tab, .char("+"))
        #expect(s.state.timeZoom == 2 && s.state.timeStart == 313)   // window 625 centred on sample 625
        s.press(.char("+"), .char("+"), .char("+"))
        #expect(s.state.timeZoom == 8)
        let start = s.state.timeStart
        s.press(.char("."))
        #expect(s.state.timeStart == start + 156 / 4)   // a pan is a quarter window
        for _ in 0..<100 { s.press(.char(".")) }
        #expect(s.state.timeStart == 1250 - 156)
        for _ in 0..<4 { s.press(.char("-")) }
        #expect(s.state.timeZoom == 1 && s.state.timeStart == 0)
    }

    @Test func maskEditing() {
        var s = session()
        s.press(.tab, .tab)   // Reconstruction
        s.press(.char("]"))
        #expect(s.state.message == "press r for a masked mode first")
        s.press(.char("r"), .char("r"))
        #expect(s.state.reconMode == .maskedECG && s.state.mask.filter { $0 }.count == 25)
        let before = s.state.mask[3]
        s.press(.char("."), .char("."), .char("."), .char(" "))
        #expect(s.state.patchCursor == 3 && s.state.mask[3] == !before)
        #expect(s.state.reconstruction?.mode == .maskedECG)
        s.press(.char("["), .char("["), .char("["), .char("["), .char("["))
        #expect(s.state.maskRatio == 0.1 && s.state.mask.filter { $0 }.count == 5)
    }

    @Test func neighboursJumpAndSameSubject() throws {
        var s = session()
        for _ in 0..<3 { s.press(.tab) }
        #expect(s.state.neighbours.count == 10)
        #expect(s.state.neighbours.allSatisfy { $0.subject != "S0000" })
        s.press(.down, .down)
        let target = s.state.neighbours[2].index
        s.press(.enter)
        #expect(s.state.current?.index == target)
        s.press(.char("a"))
        #expect(s.state.includeSameSubject)
        let own = try #require(s.state.current?.subject)
        #expect(s.state.neighbours.contains { $0.subject == own })
    }

    @Test func neighbourJumpClearsAFilterThatHidesTheTarget() {
        var s = session()
        s.press(.char("f"))   // NSR only; segment 15 belongs to S0001 (AF)
        for _ in 0..<3 { s.press(.tab) }
        var state = s.state
        state.neighbours = [NeighbourRow(index: 15, similarity: 0.9, subject: "S0001", labels: "AF")]
        state.neighbourSelected = 0
        let effects = update(&state, .key(.enter))
        #expect(state.filter == .all && state.current?.index == 15)
        #expect(effects.first == .loadTrace(15))
    }

    @Test func projectionCursorSelectsTheNearestPoint() throws {
        var s = session()
        for _ in 0..<4 { s.press(.tab) }
        #expect(s.state.focus == .projection)
        s.press(.left, .left, .up)
        #expect(abs(s.state.cursor.x - 0.46) < 1e-9 && abs(s.state.cursor.y - 0.54) < 1e-9)
        let nearest = try #require(nearestPoint(s.state))
        s.press(.enter)
        #expect(s.state.current?.index == nearest)
        s.press(.char("p"), .char("c"))
        #expect(s.state.projectionMethod == .umap && s.state.projectionKey?.method == .umap && s.state.colorBy == .hypertension)
    }

    @Test func helpOpensScrollsAndCloses() {
        var s = session()
        s.press(.function(1))
        #expect(s.state.showHelp)
        s.press(.down, .down)
        #expect(s.state.helpScroll == 2)
        s.press(.char("s"))   // ignored under help
        #expect(s.state.sort == .subject)
        s.press(.escape)
        #expect(!s.state.showHelp)
        s.press(.char("?"), .char("?"))
        #expect(!s.state.showHelp)
    }

    @Test func quitKeysAndRedraw() {
        for k in [Key.char("q"), .function(10), .ctrl("c")] {
            var s = session()
            s.press(k)
            #expect(s.state.quit)
        }
        var s = session()
        s.press(.ctrl("l"), .char("x"))
        #expect(s.terminalEffects == [.redraw, .export])
        var small = session()
        small.send(.resize(width: 20, height: 6))
        small.press(.down, .char("q"))
        #expect(small.state.selected == 0 && small.state.quit)
    }

    @Test func mouseClicksTabsRowsAndMap() {
        var s = session()
        let stops = ScreenLayout.tabStops(width: 80)
        let neighbours = stops.first { $0.pane == .neighbours }!
        s.send(.mouse(x: neighbours.x + 1, y: 0, .press))
        #expect(s.state.focus == .neighbours)
        let records = ScreenLayout(s.state).panes[.records]!
        s.send(.mouse(x: records.x + 3, y: ScreenLayout.tableTop(records) + 4, .press))
        #expect(s.state.focus == .records && s.state.selected == 4 && s.state.trace?.index == 4)
        s.send(.mouse(x: 5, y: 10, .scrollDown))
        #expect(s.state.selected == 5)
        s.send(.mouse(x: stops.first { $0.pane == .projection }!.x, y: 0, .press))
        let map = ProjectionPane.plotArea(ScreenLayout(s.state).panes[.projection]!)
        s.send(.mouse(x: map.x, y: map.y, .press))
        #expect(s.state.cursor.x < 0.05 && s.state.cursor.y > 0.9)
    }

    @Test func errorsFromServicesReachTheStatusLine() {
        var state = session().state
        _ = update(&state, .traceLoaded(0, .failure(WorkbenchError("cohort.h5: segment 0 unreadable"))))
        #expect(state.message == "cohort.h5: segment 0 unreadable")
        #expect(line(render(state), 23).contains("cohort.h5: segment 0 unreadable"))
    }
}
