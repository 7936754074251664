import Testing
import TerminalUI
import Store
@testable import Workbench

/// Issue 18 item 5: without colour every overlay has a second channel (glyph, dot density or
/// attribute); the Projection has a legend in every mode; an all-unknown label is not the
/// default colouring.
@Suite struct NoColorTests {
    static let services = SyntheticServices(subjects: 20, segmentsPerSubject: 10)

    func isBraille(_ c: Cell) -> Bool { c.symbol.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false }

    @Test func reconstructionTellsModelFromOriginalWithoutColour() throws {
        var s = HeadlessSession(services: Self.services, width: 80, height: 24, useColor: false)
        s.press(.tab, .tab, .char("z"))
        let f = s.frame
        expectSnapshot(f, "reconstruction-no-color-80x24")
        #expect(f.cells.allSatisfy { $0.fg == .default && $0.bg == .default })
        // The legend has a different glyph and attribute for each trace.
        let legend = line(f, 2)
        #expect(legend.contains("⠂⠂ original") && legend.contains("⠒⠒ model"))
        let o = legend.distance(from: legend.startIndex, to: legend.range(of: "⠂⠂ original")!.lowerBound)
        let m = legend.distance(from: legend.startIndex, to: legend.range(of: "⠒⠒ model")!.lowerBound)
        #expect(f[o, 2].attributes.contains(.dim) && f[m, 2].attributes.contains(.bold))
        // In the plot: model cells bold, cells with only the (dotted) original dim.
        let area = try #require(ScreenLayout(s.state).panes[.reconstruction])
        let plot = (area.y + 2)..<(area.bottom - 2)
        let cells = plot.flatMap { y in (area.x + 1..<area.right - 1).map { f[$0, y] } }.filter(isBraille)
        #expect(cells.contains { $0.attributes.contains(.bold) })
        #expect(cells.contains { $0.attributes.contains(.dim) })
        // The original is dotted: its dots never sit in two neighbouring dot columns.
        let r = try #require(s.state.reconstruction)
        var original = BrailleCanvas(width: 40, height: 4)
        original.trace(r.original[0..<1250], range: -5...5, dotted: true)
        for x in stride(from: 1, to: original.dotWidth, by: 2) {
            #expect((0..<original.dotHeight).allSatisfy { !original.isSet(x: x, y: $0) })
        }
    }

    @Test func projectionUsesGlyphsAndAlwaysHasALegend() throws {
        var s = HeadlessSession(services: Self.services, width: 80, height: 24, useColor: false)
        for _ in 0..<4 { s.press(.tab) }
        s.press(.char("z"))
        #expect(s.state.focus == .projection)
        let f = s.frame
        expectSnapshot(f, "projection-no-color-80x24")
        let area = try #require(ScreenLayout(s.state).panes[.projection])
        let plot = ProjectionPane.plotArea(area)
        let symbols = Set((plot.y..<plot.bottom).flatMap { y in (plot.x..<plot.right).map { f[$0, y].symbol } })
        // Several rhythm classes drawn with their own glyphs, no braille.
        #expect(symbols.intersection(Theme.glyphs).count >= 3)
        #expect(!symbols.contains { $0.unicodeScalars.first.map { (0x2801...0x28FF).contains($0.value) } ?? false })
        let legend = line(f, area.bottom - 2)
        #expect(legend.contains("o NSR") && legend.contains("x AF"))
        #expect(line(f, area.bottom - 3).contains("Enter jumps"))   // the cursor's point, focused
        // With colour, focused or not, the legend is there too.
        var coloured = HeadlessSession(services: Self.services, width: 80, height: 24)
        for _ in 0..<4 { coloured.press(.tab) }
        #expect(text(coloured.frame).contains("NSR  ") && text(coloured.frame).contains("Enter jumps"))
        coloured.press(.tab)
        coloured.press(.backTab)
        #expect(line(coloured.frame, ScreenLayout(coloured.state).panes[.projection]!.bottom - 2).contains("⣿ NSR"))
    }

    /// Real stores often have no labels at all: the map is then coloured by subject, and `c`
    /// offers only labels some record knows.
    @Test func allUnknownLabelsAreNotTheColouring() {
        struct Unlabelled: WorkbenchServices {
            let base = SyntheticServices(subjects: 20, segmentsPerSubject: 10)
            var storeName: String { "real.h5" }
            var modelName: String? { base.modelName }
            func records() throws -> [RecordRow] { try base.records().map { var r = $0; r.labels = SubjectLabels(); return r } }
            func trace(_ i: Int) throws -> TraceData { try base.trace(i) }
            func risk(mode: FingerprintMode) throws -> [Float]? { try base.risk(mode: mode) }
            func reconstruct(_ i: Int, mode: ReconstructionMode, mask: [Bool]) throws -> Reconstruction? { try base.reconstruct(i, mode: mode, mask: mask) }
            func neighbours(_ i: Int, mode: FingerprintMode, k: Int, sameSubject: Bool) throws -> [NeighbourRow] { try base.neighbours(i, mode: mode, k: k, sameSubject: sameSubject) }
            func projection(_ m: ProjectionMethod, mode: FingerprintMode) throws -> [Float]? { try base.projection(m, mode: mode) }
            func predictions(_ i: Int, mode: FingerprintMode) throws -> [PredictionRow] { try base.predictions(i, mode: mode) }
        }
        var s = HeadlessSession(services: Unlabelled(), width: 80, height: 24)
        #expect(s.state.colorBy == .subject && s.state.colorLabels == [.subject])
        for _ in 0..<4 { s.press(.tab) }
        s.press(.char("c"))
        #expect(s.state.colorBy == .subject)
        #expect(text(s.frame).contains("by subject") && text(s.frame).contains("subjects in turn"))
        // A labelled store keeps rhythm first and cycles through every label.
        let labelled = HeadlessSession(services: Self.services, width: 80, height: 24)
        #expect(labelled.state.colorBy == .rhythm && labelled.state.colorLabels == ColorLabel.builtIn)
    }
}
