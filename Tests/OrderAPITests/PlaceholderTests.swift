import Testing
@Test func placeholderOrderAPI() { #expect(1 + 1 == 2) }
