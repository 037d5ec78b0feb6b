import Foundation
import Testing

@testable import PostgresClient

@Suite("timestamptz text parsing", .serialized)
struct PostgresTimestampTests {
    @Test(
        "ISO timestamps with fractions and offsets",
        arguments: [
            ("2025-11-25 21:05:03+00", 1_764_104_703.0),
            ("2025-11-25 21:05:03.5+00", 1_764_104_703.5),
            ("2025-11-25 21:05:03.123456+00", 1_764_104_703.123456),
            ("2025-11-25 23:35:03+02:30", 1_764_104_703.0),
            ("2025-11-25 13:05:03-08", 1_764_104_703.0),
            ("1970-01-01 00:00:00+00", 0.0),
            ("2024-02-29 00:00:00+00", 1_709_164_800.0),
        ])
    func parses(text: String, epoch: Double) throws {
        let date = try #require(PostgresTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.000_001)
    }

    @Test(
        "garbage is rejected",
        arguments: [
            "", "2025-11-25", "2025-13-01 00:00:00+00", "2025-11-25 21:05:03.+00",
            "2025-11-25 21:05:03+0", "infinity", "2025-11-25 21:05:03 extra",
        ])
    func rejects(text: String) {
        #expect(PostgresTimestamp.parse(text) == nil)
    }
}
