import Testing
@testable import TerminalUI

@Suite struct LayoutTests {
    @Test func verticalLengthMinLength() {
        let r = Layout.vertical([.length(1), .min(0), .length(1)]).split(Rect(width: 80, height: 24))
        #expect(r == [Rect(x: 0, y: 0, width: 80, height: 1), Rect(x: 0, y: 1, width: 80, height: 22), Rect(x: 0, y: 23, width: 80, height: 1)])
    }

    @Test func horizontalPercentageAndOffsetOrigin() {
        let r = Layout.horizontal([.percentage(42), .min(0)]).split(Rect(x: 0, y: 1, width: 80, height: 20))
        #expect(r == [Rect(x: 0, y: 1, width: 33, height: 20), Rect(x: 33, y: 1, width: 47, height: 20)])
    }

    @Test func minPartsShareTheSlack() {
        let r = Layout.horizontal([.min(1), .length(2), .min(1)]).split(Rect(width: 9, height: 1))
        #expect(r.map(\.width) == [4, 2, 3])
        #expect(r.map(\.x) == [0, 4, 6])
    }

    @Test func overflowShrinksFromTheEndAndNeverGoesNegative() {
        let r = Layout.vertical([.length(3), .length(3), .length(3)]).split(Rect(width: 5, height: 4))
        #expect(r.map(\.height) == [3, 1, 0])
        #expect(r.allSatisfy { $0.bottom <= 4 })
    }

    @Test func rectHelpers() {
        let r = Rect(x: 2, y: 3, width: 4, height: 5)
        #expect(r.inset(1) == Rect(x: 3, y: 4, width: 2, height: 3))
        #expect(Rect(width: 1, height: 1).inset(1).isEmpty)
        #expect(r.intersection(Rect(width: 4, height: 4)) == Rect(x: 2, y: 3, width: 2, height: 1))
        #expect(r.contains(x: 5, y: 7) && !r.contains(x: 6, y: 7))
    }
}
