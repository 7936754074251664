import Testing

@Test func TrainingPlaceholderCompiles() { #expect(Bool(true)) }
