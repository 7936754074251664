import Testing
@testable import TerminalUI

@Suite struct BlockTests {
    @Test func drawsBorderAndTitleOnlyInsideItsArea() {
        var b = Buffer(area: Rect(width: 12, height: 5), fill: Cell("x"))
        let inner = Block(title: "Hi").render(Rect(x: 1, y: 1, width: 10, height: 3), into: &b)
        #expect(inner == Rect(x: 2, y: 2, width: 8, height: 1))
        #expect(b.lines == [
            "xxxxxxxxxxxx",
            "x┌ Hi ────┐x",
            "x│xxxxxxxx│x",
            "x└────────┘x",
            "xxxxxxxxxxxx",
        ])
    }

    @Test func aLongTitleEndsInAnEllipsis() {
        var b = Buffer(area: Rect(width: 12, height: 3), fill: Cell("x"))
        Block(title: "Traces · bidmc_01").render(Rect(width: 12, height: 3), into: &b)
        #expect(b.lines[0] == "┌ Traces … ┐")
    }

    @Test func tooSmallAreaDrawsNothing() {
        var b = Buffer(area: Rect(width: 3, height: 3), fill: Cell("x"))
        let inner = Block(title: "T").render(Rect(x: 0, y: 0, width: 1, height: 3), into: &b)
        #expect(inner.isEmpty)
        #expect(b.lines == ["xxx", "xxx", "xxx"])
    }
}

@Suite struct KeyTests {
    @Test func namesRoundTrip() {
        let keys: [Key] = [.char("a"), .char("Z"), .char(" "), .char("?"), .ctrl("l"), .function(1), .function(10),
                           .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .enter, .escape, .tab, .backTab, .backspace]
        for k in keys { #expect(Key(name: k.description) == k, "\(k)") }
        #expect(Key(name: "ctrl-c") == .ctrl("c"))
        #expect(Key(name: "Bogus") == nil)
        #expect(Key(name: "F13") == nil)
    }
}

@Suite struct SVGExportTests {
    @Test func writesTextRunsColoursAndEscapes() {
        var b = Buffer(area: Rect(width: 6, height: 2))
        b.setString(x: 0, y: 0, "a<b", style: Style(fg: .red, .bold))
        b.setString(x: 0, y: 1, "ok", style: .reverse)
        let svg = b.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50.4\" height=\"33.6\""))
        #expect(svg.contains(">a&lt;b</text>"))
        #expect(svg.contains("fill=\"#d9534f\" font-weight=\"bold\""))
        #expect(svg.contains("<rect x=\"0\" y=\"16.8\" width=\"16.8\""))   // reversed cells get a background
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(!b.svg(colors: false).contains("#d9534f"))
    }
}
