import Testing
@Test func placeholderOrderWorker() { #expect(1 + 1 == 2) }
