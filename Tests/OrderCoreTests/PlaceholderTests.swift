import Testing
@Test func placeholderOrderCore() { #expect(1 + 1 == 2) }
