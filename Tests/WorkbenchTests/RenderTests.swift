import Testing
import TerminalUI
import Store
@testable import Workbench

/// Render tests: fixed states drawn as text, no terminal. 20 subjects × 10 segments.
@Suite struct RenderTests {
    static let services = SyntheticServices(subjects: 20, segmentsPerSubject: 10)

    func session(_ w: Int = 80, _ h: Int = 24, model: Bool = true) -> HeadlessSession {
        HeadlessSession(services: SyntheticServices(subjects: 20, segmentsPerSubject: 10, withModel: model), width: w, height: h)
    }

    @Test func dashboardWithRecordsTracesAndPredictions() {
        let s = session()
        expectSnapshot(s.frame, "dashboard-80x24")
        let f = s.frame
        #expect(line(f, 0).hasPrefix("  Records   Traces   Recon"))
        #expect(line(f, 1).contains("Records 1/200"))
        #expect(line(f, 23).contains("synthetic(200) · 200 seg · model synthetic-demo · mode ECG+PPG"))
        // The selected row is drawn in reverse video; the next one is not.
        #expect(f[1, 3].attributes.contains(.reverse))
        #expect(!f[1, 4].attributes.contains(.reverse))
    }

    @Test func anUnfamiliarSegmentIsDimmedAndSaysWhy() {
        var s = session()
        s.press(.down, .down, .down, .down)   // segment 4: outside the stand-in's training data
        #expect(s.state.current?.index == 4)
        expectSnapshot(s.frame, "predictions-unfamiliar-80x24")
        let f = s.frame
        #expect(text(f).contains("Predictions · ECG+PPG · generated labels"))
        let why = f.lines.firstIndex { $0.contains("⚠ outside the model's training data") }
        #expect(why != nil)
        // The bars under it are dimmed; a familiar segment's are not.
        let bar = { (f: Buffer) -> (Int, Int)? in
            for y in 0..<f.lines.count { if let x = Array(f.lines[y]).lastIndex(of: "█") { return (x, y) } }
            return nil
        }
        if let (x, y) = bar(f) { #expect(f[x, y].attributes.contains(.dim)) } else { Issue.record("no bar drawn") }
        // The risk column marks the unfamiliar row with "?", dimmed.
        #expect(line(f, 7).contains("0.19?"))
        s.press(.down)
        let g = s.frame
        #expect(!text(g).contains("outside the model's training data"))
        if let (x, y) = bar(g) { #expect(!g[x, y].attributes.contains(.dim)) }
    }

    @Test func tracesMarkEveryRPeakAndPPGPeakAtItsColumn() throws {
        var s = session()
        s.press(.char("z"), .tab)   // zoom, focus Traces
        #expect(s.state.focus == .traces && s.state.zoomed)
        let f = s.frame
        expectSnapshot(f, "traces-zoomed")
        let t = try #require(s.state.trace)
        let area = try #require(ScreenLayout(s.state).panes[.traces])
        let inner = area.inset(1)
        let rows = TracesPane.split(rows: inner.height - 1)
        #expect(!rows.sharedMarkers && rows.ecg >= 3 && rows.ppg >= 3)
        let ecgRow = inner.y + 1 + rows.ecg, ppgRow = ecgRow + 1 + rows.ppg
        let ecgMarkers = (inner.x..<inner.right).filter { f[$0, ecgRow].symbol == "▲" }
        let ppgMarkers = (inner.x..<inner.right).filter { f[$0, ppgRow].symbol == "●" }
        #expect(ecgMarkers == t.rPeaks.map { inner.x + $0 * inner.width / 1250 })
        #expect(ppgMarkers == t.ppgPeaks.map { inner.x + $0 * inner.width / 1250 })
        #expect(line(f, 2).contains(String(format: "HR %.0f PR %.0f bpm", t.heartRate!, t.pulseRate!)))
        #expect(f[try #require(ecgMarkers.first), ecgRow].fg == .red)
        // The seconds axis sits on the bottom border.
        #expect(line(f, area.bottom - 1).contains("┴2s"))
    }

    @Test func everyPaneZoomedMatchesItsSnapshot() {
        var s = session()
        s.press(.char("z"))
        for pane in Pane.allCases {
            while s.state.focus != pane { s.press(.tab) }
            expectSnapshot(s.frame, "zoom-\(pane.rawValue.lowercased())")
        }
    }

    @Test func maskedReconstructionShowsTheStripAndHiddenCount() {
        var s = session()
        s.press(.tab, .tab, .char("z"), .char("r"), .char("r"))
        #expect(s.state.reconMode == .maskedECG)
        let f = s.frame
        expectSnapshot(f, "reconstruction-masked")
        #expect(text(f).contains("25/50 hidden (50 %)"))
        s.press(.char("]"))
        #expect(text(s.frame).contains("30/50 hidden (60 %)"))
    }

    @Test func modelPanesSayWhenThereIsNoModel() {
        var s = session(model: false)
        for _ in 0..<3 { s.press(.tab) }
        let f = s.frame
        #expect(text(f).contains("No model in this store."))
        #expect(line(f, 23).contains("model none"))
        expectSnapshot(f, "no-model-neighbours")
    }

    @Test func helpListsEveryBindingOfTheKeyMap() {
        var s = session(100, 80)
        s.press(.char("?"))
        let t = text(s.frame)
        for k in KeyMap.bindings { #expect(t.contains(k.help), "help lacks \(k.name)") }
        expectSnapshot(s.frame, "help-100x80")
    }

    @Test func functionBarComesFromTheKeyMap() {
        let f = session().frame
        let bar = line(f, 22)
        for k in KeyMap.bar where k.pane == nil || k.pane == .records {
            #expect(bar.contains(k.keys[0].description + k.bar!))
        }
        #expect(!bar.contains("Search") || bar.hasPrefix("/Search"))
    }

    @Test func belowTheMinimumSizeAsksToEnlargeAtEverySize() {
        for (w, h) in [(59, 24), (80, 15), (20, 6), (1, 1), (0, 0), (5, 40)] {
            var s = session(80, 24)
            s.send(.resize(width: w, height: h))
            let f = s.frame
            #expect(f.area == Rect(width: w, height: h))
            if w >= 20 && h >= 6 { #expect(text(f).contains("enlarge"), "\(w)×\(h)") }
        }
        var s = session(80, 24)
        s.send(.resize(width: 20, height: 6))
        expectSnapshot(s.frame, "too-small-20x6")
    }

    @Test func noColorDropsColoursButKeepsAttributes() {
        var s = HeadlessSession(services: Self.services, width: 80, height: 24, useColor: false)
        s.press(.tab)
        let f = s.frame
        #expect(f.cells.allSatisfy { $0.fg == .default && $0.bg == .default })
        #expect(f.cells.contains { $0.attributes.contains(.reverse) })
        var coloured = HeadlessSession(services: Self.services, width: 80, height: 24)
        coloured.press(.tab)
        #expect(f.lines == coloured.frame.lines)
        #expect(coloured.frame.cells.contains { $0.fg != .default })
    }

    @Test func largerTerminalUsesTheSpace() {
        let f = session(160, 50).frame
        #expect(line(f, 2).contains("age"))   // wide Records shows more columns
        #expect(line(f, 2).contains("quality"))
        expectSnapshot(f, "dashboard-160x50")
    }
}
