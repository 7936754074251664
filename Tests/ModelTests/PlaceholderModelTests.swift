import Testing

@Test func ModelPlaceholderCompiles() { #expect(Bool(true)) }
