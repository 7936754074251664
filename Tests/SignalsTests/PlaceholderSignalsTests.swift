import Testing

@Test func SignalsPlaceholderCompiles() { #expect(Bool(true)) }
