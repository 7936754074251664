import Testing

@Test func ImportersPlaceholderCompiles() { #expect(Bool(true)) }
