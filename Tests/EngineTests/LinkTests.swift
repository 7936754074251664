import Testing
@testable import Engine

@Test func linksAgainstOpenBLAS() {
    #expect(blasConfiguration().contains("OpenBLAS"))
}
