import Foundation
import Testing

@testable import TemporalBridge

/// The Swift twin of `PatchInterop` in Tests/interop/patch_interop.py (keep both in step).
enum PatchInterop {
    static let workflow = WorkflowDefinition(name: "PatchInterop") { (name: String) async throws -> String in
        let new = Workflow.patched("interop-a")
        try await Workflow.sleep(for: .milliseconds(new ? 10 : 20))
        Workflow.deprecatePatch("interop-b")
        try await Workflow.sleep(for: .milliseconds(10))
        return "\(name):\(new ? "new" : "old")"
    }

    /// The same workflow before the patch: no calls, the old durations.
    static let beforePatch = WorkflowDefinition(name: "PatchInterop") { (name: String) async throws -> String in
        try await Workflow.sleep(for: .milliseconds(20))
        try await Workflow.sleep(for: .milliseconds(10))
        return "\(name):old"
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("interop/patch_interop.py").path

    /// A history the Python SDK 1.35 wrote for PatchInterop (`patch_interop.py record`).
    static func committedPythonHistory() throws -> Data {
        let url = try #require(
            Bundle.module.url(forResource: "python-patched", withExtension: "json", subdirectory: "Fixtures/histories"))
        return try Data(contentsOf: url)
    }

    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).json")
    }
}

/// `Workflow.patched` interoperates with the Python SDK's `workflow.patched` both ways: their
/// history replays here, ours replays on their Replayer, with the same rules for old code.
@Suite(.serialized) struct PatchInteropTests {
    private func expectReplaysOnlyWithThePatch(_ json: Data) throws {
        #expect(try WorkflowReplayer(workflows: [PatchInterop.workflow]).replay(json: json).isEmpty)
        let error = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [PatchInterop.beforePatch]).replay(json: json)
        }
        #expect(error.message.contains("interop-a"), "\(error)")
    }

    @Test func aCommittedPythonHistoryReplaysHere() throws {
        try expectReplaysOnlyWithThePatch(try PatchInterop.committedPythonHistory())
    }

    @Test func aHistoryWrittenByThePythonSDKNowReplaysHere() async throws {
        let file = PatchInterop.temporaryFile("python-patch-history")
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try await WorkflowClientInteropTests.runPython([
            PatchInterop.script, "record", TransportTestSupport.target, file.path,
        ])
        let summary = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(summary["result"] as? String == "py:new")
        try expectReplaysOnlyWithThePatch(try Data(contentsOf: file))
    }

    @Test func aHistoryWrittenByOurWorkerReplaysOnThePythonSDK() async throws {
        let connection = try await TransportTestSupport.connect()
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("patch-interop")
        let (_, runTask) = WorkerTestSupport.startWorker(
            connection, queue: queue, workflows: [PatchInterop.workflow], activities: [])
        defer { runTask.cancel() }
        let handle = try await client.start(
            workflowType: "PatchInterop", id: TransportTestSupport.uniqueName("patch-interop-swift"),
            taskQueue: queue, args: ["swift"])
        let result: String = try await client.result(handle)
        #expect(result == "swift:new")

        var history = Temporal_Api_History_V1_History()
        history.events = try await client.history(handle)
        #expect(!history.events.contains { $0.eventType == .workflowTaskFailed })
        let markers = history.events.compactMap { PatchMarker(event: $0) }
        #expect(markers == [.init(id: "interop-a", deprecated: false), .init(id: "interop-b", deprecated: true)])
        #expect(history.events.filter { $0.eventType == .upsertWorkflowSearchAttributes }.count == 2)

        let file = PatchInterop.temporaryFile("swift-patch-history")
        defer { try? FileManager.default.removeItem(at: file) }
        try history.jsonUTF8Data().write(to: file)
        let output = try await WorkflowClientInteropTests.runPython([PatchInterop.script, "replay", file.path])
        let verdict = try #require(try JSONSerialization.jsonObject(with: output) as? [String: String])
        #expect(verdict["patched"] == "ok")
        // Code from before the patch must trip over our non-deprecated marker, as on a Python history.
        let beforePatch = try #require(verdict["before_patch"])
        #expect(beforePatch != "ok" && beforePatch.contains("interop-a"), "\(beforePatch)")
        #expect(try WorkflowReplayer(workflows: [PatchInterop.workflow]).replay(history).isEmpty)
    }
}
