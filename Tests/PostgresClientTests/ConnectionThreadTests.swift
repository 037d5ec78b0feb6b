import Synchronization
import Testing
import ThreadConfinement

/// A connection that only counts how many were made.
private final class RecordingConnection: ThreadOwnedConnection, @unchecked Sendable {
    static let made = Atomic<Int>(0)
    init() { Self.made.add(1, ordering: .sequentiallyConsistent) }
    func drop(reason: String?) {}
}

@Suite("ConnectionThread")
struct ConnectionThreadTests {
    @Test("the thread and its connection start with the first job, not before")
    func startsWithFirstJob() async {
        let before = RecordingConnection.made.load(ordering: .sequentiallyConsistent)
        let thread = ConnectionThread<RecordingConnection>(name: "test-lazy") { RecordingConnection() }
        #expect(!thread.isStarted)
        #expect(RecordingConnection.made.load(ordering: .sequentiallyConsistent) == before)

        let ran = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let accepted = thread.enqueue { _ in continuation.resume(returning: true) }
            if !accepted { continuation.resume(returning: false) }
        }
        #expect(ran)
        #expect(thread.isStarted)
        #expect(RecordingConnection.made.load(ordering: .sequentiallyConsistent) == before + 1)
        await thread.stop()
    }

    @Test("a thread that never ran a job stops at once and refuses later jobs")
    func stopsUnstarted() async {
        let thread = ConnectionThread<RecordingConnection>(name: "test-unstarted") { RecordingConnection() }
        await thread.stop()
        #expect(!thread.isStarted)
        #expect(!thread.enqueue { _ in })
        #expect(!thread.isStarted)
    }
}
