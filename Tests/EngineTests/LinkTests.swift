import Testing
@testable import Engine

@Test func linksAgainstOpenBLAS() {
    #expect(EngineModule.blasConfig.contains("OpenBLAS"))
}
