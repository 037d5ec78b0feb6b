import Foundation
import Synchronization
import Testing

@testable import TemporalBridge

/// The worker's one timer for activity attempts' deadlines: what is due expires, what was removed never does,
/// an earlier deadline re-arms the timer, and the timer starts again after running out of deadlines.
@Suite("Activity deadlines")
struct ActivityDeadlinesTests {
    private final class Expired: Sendable {
        private let names = Mutex<[String]>([])
        func record(_ name: String) { names.withLock { $0.append(name) } }
        var all: [String] { names.withLock { $0 } }

        /// Waits (up to 5 s) until `count` deadlines expired.
        func wait(for count: Int) async throws {
            let limit = ContinuousClock.now + .seconds(5)
            while all.count < count && ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    private static func inSeconds(_ seconds: Double) -> Date { Date().addingTimeInterval(seconds) }

    @Test func dueDeadlinesExpireAndRemovedOnesNever() async throws {
        let deadlines = ActivityDeadlines()
        let expired = Expired()
        var ids: [Int] = []
        for index in 0..<20 {
            ids.append(deadlines.add(Self.inSeconds(0.03 + Double(index) * 0.002)) { expired.record("\(index)") })
        }
        for (index, id) in ids.enumerated() where index % 2 == 1 { deadlines.remove(id) }
        try await expired.wait(for: 10)
        try await Task.sleep(for: .milliseconds(100))  // a removed one would have expired by now too
        #expect(Set(expired.all) == Set(stride(from: 0, to: 20, by: 2).map(String.init)))
    }

    @Test func anEarlierDeadlineReArmsTheTimer() async throws {
        let deadlines = ActivityDeadlines()
        let expired = Expired()
        let late = deadlines.add(Self.inSeconds(30)) { expired.record("late") }
        let started = ContinuousClock.now
        _ = deadlines.add(Self.inSeconds(0.05)) { expired.record("early") }
        try await expired.wait(for: 1)
        #expect(expired.all == ["early"])
        #expect(ContinuousClock.now - started < .seconds(5))
        deadlines.remove(late)
    }

    @Test func aPassedDeadlineExpiresAtOnce() async throws {
        let deadlines = ActivityDeadlines()
        let expired = Expired()
        _ = deadlines.add(Self.inSeconds(-1)) { expired.record("passed") }
        try await expired.wait(for: 1)
        #expect(expired.all == ["passed"])
    }

    @Test func theTimerStartsAgainAfterEveryDeadlineExpired() async throws {
        let deadlines = ActivityDeadlines()
        let expired = Expired()
        _ = deadlines.add(Self.inSeconds(0.02)) { expired.record("first") }
        try await expired.wait(for: 1)
        try await Task.sleep(for: .milliseconds(50))  // the timer has found nothing left and stopped
        _ = deadlines.add(Self.inSeconds(0.02)) { expired.record("second") }
        try await expired.wait(for: 2)
        #expect(expired.all == ["first", "second"])
    }
}
