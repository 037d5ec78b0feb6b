import Testing

@Test func placeholderTemporalBridge() { #expect(1 + 1 == 2) }
