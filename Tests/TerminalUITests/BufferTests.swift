import Testing
@testable import TerminalUI

@Suite struct BufferTests {
    @Test func linesRoundTripAndPadToTheWidestLine() {
        let b = Buffer(lines: ["ab", "cde"])
        #expect(b.area == Rect(width: 3, height: 2))
        #expect(b.lines == ["ab ", "cde"])
        #expect(b.description == "Buffer(Rect(x: 0, y: 0, width: 3, height: 2)):\n\"ab \"\n\"cde\"")
    }

    @Test func emptyCellEqualsSpace() {
        #expect(Cell.empty == Cell(" "))
        #expect(Cell("a").with(style: .bold) != Cell("a"))
        #expect(Cell("a").with("b").symbol == "b")
    }

    @Test func setStringClipsToAreaAndMaxWidth() {
        var b = Buffer(area: Rect(width: 6, height: 2), fill: Cell("x"))
        let end = b.setString(x: 2, y: 0, "hello world")
        #expect(end == 6)
        b.setString(x: -2, y: 1, "abcdef", maxWidth: 5)
        #expect(b.lines == ["xxhell", "cdexxx"])
        b.setString(x: 0, y: 5, "outside")   // row outside: nothing happens
        #expect(b.lines == ["xxhell", "cdexxx"])
    }

    @Test func cellAtIsOptionalAndPositionsAreAbsolute() {
        var b = Buffer(area: Rect(x: 10, y: 5, width: 3, height: 2))
        b[11, 6] = Cell("q")
        #expect(b.cell(x: 11, y: 6)?.symbol == "q")
        #expect(b.cell(x: 0, y: 0) == nil)
        #expect(b.index(x: 12, y: 6) == 5)
        #expect(b.position(of: 5) == (12, 6))
    }

    @Test func diffReturnsOnlyChangedCells() {
        let a = Buffer(lines: ["abc", "def"])
        var b = a
        b[1, 1] = Cell("X", style: Style(fg: .red))
        b[2, 0] = Cell("c", style: .bold)   // same symbol, new style: still a change
        let d = b.diff(from: a)
        #expect(d.count == 2)
        #expect(d.map { "\($0.x),\($0.y),\($0.cell.symbol)" } == ["2,0,c", "1,1,X"])
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func diffAfterResizeRedrawsEverything() {
        let small = Buffer(lines: ["ab"])
        let big = Buffer(lines: ["ab", "cd"])
        #expect(big.diff(from: small).count == 4)
    }

    @Test func setStyleKeepsSymbols() {
        var b = Buffer(lines: ["abc"])
        b.setStyle(Rect(x: 1, y: 0, width: 5, height: 1), .reverse)
        #expect(b.lines == ["abc"])
        #expect(b[0, 0].attributes == [])
        #expect(b[1, 0].attributes == .reverse && b[2, 0].attributes == .reverse)
    }
}
