import Testing

@Test func SynthPlaceholderCompiles() { #expect(Bool(true)) }
