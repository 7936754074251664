import Testing
@testable import TerminalUI

@Suite struct BrailleCanvasTests {
    @Test func eachDotHasItsUnicodeBit() {
        var c = BrailleCanvas(width: 1, height: 1)
        c.set(x: 0, y: 0)
        #expect(c.symbol(col: 0, row: 0) == "⠁")
        c.set(x: 1, y: 3)
        #expect(c.symbol(col: 0, row: 0) == "⢁")   // dots 1 and 8
        var full = BrailleCanvas(width: 1, height: 1)
        for x in 0..<2 { for y in 0..<4 { full.set(x: x, y: y) } }
        #expect(full.symbol(col: 0, row: 0) == "⣿")
        full.set(x: 5, y: 9)   // outside: ignored
        #expect(!full.isSet(x: 5, y: 9))
    }

    @Test func horizontalLineAcrossTwoCells() {
        var c = BrailleCanvas(width: 2, height: 1)
        c.line(x0: 0, y0: 3, x1: 3, y1: 3)
        var b = Buffer(area: Rect(width: 3, height: 1), fill: Cell("x"))
        c.render(into: &b, x: 0, y: 0)
        #expect(b.lines == ["⣀⣀x"])
    }

    @Test func diagonalLineTouchesEveryColumn() {
        var c = BrailleCanvas(width: 2, height: 1)
        c.line(x0: 0, y0: 0, x1: 3, y1: 3)
        #expect((0..<4).allSatisfy { c.isSet(x: $0, y: $0) })
    }

    @Test func traceKeepsThePeakAndMapsRangeToHeight() {
        // A spike in the middle of a flat line must reach the top row.
        var samples = [Float](repeating: 0, count: 100)
        samples[50] = 1
        var c = BrailleCanvas(width: 10, height: 2)
        c.trace(samples[...], range: 0...1)
        #expect(c.isSet(x: c.dotColumn(sample: 50, count: 100), y: 0))
        #expect(c.isSet(x: 0, y: 7) && c.isSet(x: 19, y: 7))
        var b = Buffer(area: Rect(width: 10, height: 2), fill: Cell("x"))
        c.render(into: &b, x: 0, y: 0)
        // Rise on dot columns 9→10 (cell 4), fall on 10→11 (cell 5), baseline elsewhere.
        #expect(b.lines == ["xxxxx⡇xxxx", "⣀⣀⣀⣀⣸⢸⣀⣀⣀⣀"])
    }

    @Test func nanSamplesLeaveGaps() {
        var c = BrailleCanvas(width: 4, height: 1)
        let s: [Float] = [0, 0, .nan, .nan, .nan, .nan, 0, 0]
        c.trace(s[...], range: -1...1)
        #expect(c.symbol(col: 1, row: 0) == nil && c.symbol(col: 2, row: 0) == nil)
        #expect(c.symbol(col: 0, row: 0) != nil && c.symbol(col: 3, row: 0) != nil)
    }

    @Test func pointsMapDataCornersToCanvasCorners() {
        let c = BrailleCanvas(width: 3, height: 2)
        #expect(c.dot(x: 0, y: 0, xRange: 0...1, yRange: 0...1) == (0, 7))
        #expect(c.dot(x: 1, y: 1, xRange: 0...1, yRange: 0...1) == (5, 0))
    }

    @Test func dottedTraceUsesEverySecondDotColumnUnconnected() {
        var c = BrailleCanvas(width: 4, height: 1)
        c.trace([0, 1, 0, 1, 0, 1, 0, 1][...], range: 0...1, dotted: true)
        #expect((0..<8).map { x in (0..<4).first { c.isSet(x: x, y: $0) } } == [3, nil, 3, nil, 3, nil, 3, nil])
    }

    @Test func overlayKeepsBothDotsAndStylesByTheTopCanvas() {
        var under = BrailleCanvas(width: 2, height: 1), over = BrailleCanvas(width: 2, height: 1)
        under.set(x: 0, y: 0); under.set(x: 2, y: 3)
        over.set(x: 1, y: 0)
        var b = Buffer(area: Rect(width: 3, height: 1), fill: Cell("x"))
        BrailleCanvas.overlay(under, style: .dim, over, style: .bold, into: &b, x: 0, y: 0)
        #expect(b.lines == ["⠉⡀x"])   // dots 1+4 in cell 0, dot 7 in cell 1
        #expect(b[0, 0].attributes == .bold && b[1, 0].attributes == .dim)
    }
}
