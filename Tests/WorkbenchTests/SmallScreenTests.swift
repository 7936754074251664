import Testing
import TerminalUI
import Store
@testable import Workbench

/// Issue 18 items 1, 2, 3 and 8 at the sizes where they showed: traces and predictions at
/// 60×16, the tab bar at 60 and 70 columns, the Records columns by priority, titles.
@Suite struct SmallScreenTests {
    static let services = SyntheticServices(subjects: 20, segmentsPerSubject: 10)

    func session(_ w: Int, _ h: Int) -> HeadlessSession { HeadlessSession(services: Self.services, width: w, height: h) }

    /// Rows of `area` (inside the border) holding braille dots, from row `from` for `count` rows.
    func brailleRows(_ f: Buffer, _ area: Rect, from y0: Int, count: Int) -> Int {
        (y0..<(y0 + count)).filter { y in
            (area.x + 1..<area.right - 1).contains { x in f[x, y].symbol.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false }
        }.count
    }

    @Test func sixtyBySixteenDrawsBothTracesWithThreeRowsEachWhenFocused() throws {
        var s = session(60, 16)
        var f = s.frame
        expectSnapshot(f, "dashboard-60x16")
        // Unfocused: both traces are there (one row each, one shared marker row).
        #expect(text(f).contains("ECG") && text(f).contains("PPG"))
        #expect(text(f).contains("▲") && text(f).contains("●"))
        s.press(.tab)
        f = s.frame
        expectSnapshot(f, "dashboard-60x16-traces")
        let area = try #require(ScreenLayout(s.state).panes[.traces])
        let inner = area.inset(1)
        let rows = TracesPane.split(rows: inner.height - 1)
        #expect(rows.ecg >= 3 && rows.ppg >= 3)
        let ecgTop = inner.y + 1, ppgTop = ecgTop + rows.ecg + 1
        #expect(f[inner.x, ecgTop].symbol == "E" && f[inner.x, ppgTop].symbol == "P")
        #expect(brailleRows(f, area, from: ecgTop, count: rows.ecg) >= 3)
        #expect(brailleRows(f, area, from: ppgTop, count: rows.ppg) >= 3)
        // Three rows would be too few for the detail pane: Traces takes the column.
        #expect(Set(ScreenLayout(s.state).panes.keys) == [.records, .traces])
        s.press(.tab)
        #expect(ScreenLayout(s.state).panes.count == 3)
    }

    @Test func eightyByTwentyFourTracesGetThreeRowsEvenUnfocused() throws {
        let s = session(80, 24)
        let inner = try #require(ScreenLayout(s.state).panes[.traces]).inset(1)
        let rows = TracesPane.split(rows: inner.height - 1)
        #expect(rows.ecg >= 3 && rows.ppg >= 3)
        var focused = s
        focused.press(.tab)
        let big = TracesPane.split(rows: try #require(ScreenLayout(focused.state).panes[.traces]).inset(1).height - 1)
        #expect(big.ecg >= 4 && big.ppg >= 4 && !big.sharedMarkers)
    }

    @Test func predictionsScrollAtSixtyBySixteen() {
        var s = session(60, 16)
        for _ in 0..<5 { s.press(.tab) }
        #expect(s.state.focus == .predictions)
        let all = PredictionsPane.lines(s.state)
        #expect(all.count > 8)
        #expect(text(s.frame).contains("of \(all.count) ↓"))
        let selected = s.state.selected
        s.press(.down)
        #expect(s.state.predictionsScroll == 1 && s.state.selected == selected)
        s.press(.pageDown, .pageDown, .pageDown, .pageDown)
        let last = s.frame
        expectSnapshot(last, "predictions-60x16-scrolled")
        #expect(text(last).contains("sex") && text(last).contains("↑"))   // the last task is reachable
        s.press(.char("g"))
        #expect(s.state.predictionsScroll == 0)
        s.press(.char("G"))
        #expect(text(s.frame) == text(last))
    }

    @Test func tabBarNeverOverwritesItself() {
        for (w, h) in [(60, 16), (70, 20), (74, 20), (80, 24), (200, 60)] {
            var s = session(w, h)
            for zoomed in [false, true] {
                if zoomed { s.press(.char("z")) }
                let bar = line(s.frame, 0)
                let stops = ScreenLayout.tabStops(width: w)
                for stop in stops {
                    let start = bar.index(bar.startIndex, offsetBy: stop.x)
                    #expect(bar[start...].hasPrefix(" \(stop.label) "), "\(w)×\(h): tab \(stop.label) in '\(bar)'")
                }
                let end = stops.last!.x + stops.last!.width
                let right = bar.dropFirst(end).trimmingCharacters(in: .whitespaces)
                #expect(["M2AE", "zoom · M2AE", "zoom"].contains(right), "\(w)×\(h): '\(bar)'")
                #expect(bar.count == w)
            }
        }
        #expect(line(session(70, 20).frame, 0) == "  Records   Traces   Recon   Neighb   Proj   Predict             M2AE ")
    }

    @Test func recordsColumnsFollowTheDocumentedPriority() {
        // docs/workbench.md: subject, t, rhythm, risk, quality, age, sex, BP.
        let expected: [Int: [SortColumn]] = [
            60: [.subject, .start, .rhythm],
            80: [.subject, .start, .rhythm, .risk],
            100: [.subject, .start, .rhythm, .quality, .risk],
            120: [.subject, .start, .rhythm, .age, .sex, .quality, .risk],
            160: [.subject, .start, .rhythm, .age, .sex, .bp, .quality, .risk],
        ]
        let priority: [SortColumn] = [.subject, .start, .rhythm, .risk, .quality, .age, .sex, .bp]
        for (w, columns) in expected {
            let s = session(w, 36)
            let shown = RecordsPane.columns(s.state).map(\.col)
            #expect(shown == columns, "\(w) wide")
            // Always a prefix of the priority order.
            #expect(Set(shown) == Set(priority.prefix(shown.count)), "\(w) wide")
            let header = line(s.frame, 2)
            for c in shown { #expect(header.contains(c == .start ? "t" : c == .subject ? "subj" : c.rawValue), "\(w): \(c) not in '\(header)'") }
        }
        expectSnapshot(session(120, 36).frame, "dashboard-120x36")
    }

    @Test func titlesNameARecordOnceAndNumbersAreGrouped() throws {
        struct SameName: WorkbenchServices {
            let base = SyntheticServices(subjects: 240, segmentsPerSubject: 10)
            var storeName: String { "bidmc.h5" }
            var modelName: String? { base.modelName }
            func records() throws -> [RecordRow] {
                try base.records().map { var r = $0; r.subject = "bidmc_\(r.subjectIndex)_Signals"; r.record = r.subject; return r }
            }
            func trace(_ i: Int) throws -> TraceData { try base.trace(i) }
            func risk(mode: FingerprintMode) throws -> [Float]? { try base.risk(mode: mode) }
            func reconstruct(_ i: Int, mode: ReconstructionMode, mask: [Bool]) throws -> Reconstruction? { try base.reconstruct(i, mode: mode, mask: mask) }
            func neighbours(_ i: Int, mode: FingerprintMode, k: Int, sameSubject: Bool) throws -> [NeighbourRow] { try base.neighbours(i, mode: mode, k: k, sameSubject: sameSubject) }
            func projection(_ m: ProjectionMethod, mode: FingerprintMode) throws -> [Float]? { try base.projection(m, mode: mode) }
            func predictions(_ i: Int, mode: FingerprintMode) throws -> [PredictionRow] { try base.predictions(i, mode: mode) }
        }
        var s = HeadlessSession(services: SameName(), width: 80, height: 24)
        s.press(.char("G"))
        let f = s.frame
        #expect(text(f).contains("Traces · bidmc_239_Signals @90s"))
        #expect(!text(f).contains("bidmc_239_Signals bidmc"))
        #expect(text(f).contains("Records 2,400/2,400"))
    }

    @Test func pulseRateBesideHeartRateAndADisagreementIsMarked() throws {
        var s = session(80, 24)
        var t = try #require(s.state.trace)
        #expect(line(s.frame, 2).contains(String(format: "HR %.0f PR %.0f bpm", t.heartRate!, t.pulseRate!)))
        // v102s-like: doubled R-peaks read 170 where the pulse says 101.
        t.heartRate = 170; t.pulseRate = 101
        s.send(.traceLoaded(t.index, .success(t)))
        let f = s.frame
        let row = line(f, 2)
        #expect(row.contains("HR 170 ≠ PR 101 bpm"))
        let x = try #require(row.firstIndex(of: "≠")).utf16Offset(in: row)
        #expect(f[x, 2].attributes.contains(.reverse))   // marked without colour too
        t.pulseRate = 165
        s.send(.traceLoaded(t.index, .success(t)))
        #expect(line(s.frame, 2).contains("HR 170 PR 165 bpm"))
    }
}
