import Testing

@Test func WorkbenchPlaceholderCompiles() { #expect(Bool(true)) }
