import Testing
@testable import TerminalUI

@Test func linksAgainstNcurses() {
    #expect(TerminalUIModule.ncursesVersion.contains("ncurses"))
}
