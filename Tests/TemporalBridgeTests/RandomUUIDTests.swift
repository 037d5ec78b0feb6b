import Foundation
import Testing

@testable import TemporalBridge

@Test func randomUUIDsAreVersionFourWithTheStandardVariantAndDistinct() {
    let made = (0..<1000).map { _ in UUID.random() }
    #expect(Set(made).count == made.count)
    for uuid in made {
        let text = uuid.uuidString
        // xxxxxxxx-xxxx-4xxx-[89AB]xxx-xxxxxxxxxxxx
        #expect(Array(text)[14] == "4")
        #expect("89AB".contains(Array(text)[19]))
        #expect(UUID(uuidString: text) == uuid)
    }
}
