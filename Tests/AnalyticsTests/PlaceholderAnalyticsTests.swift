import Testing

@Test func AnalyticsPlaceholderCompiles() { #expect(Bool(true)) }
