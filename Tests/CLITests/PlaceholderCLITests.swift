import Testing

@Test func CLIPlaceholderCompiles() { #expect(Bool(true)) }
