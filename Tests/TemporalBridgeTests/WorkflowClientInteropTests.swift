import Foundation
import TestSupport
import Testing

@testable import TemporalBridge

/// A run started by the Swift client, read back by the official Python SDK
/// (`Tests/interop/client_describe.py`), and the Python SDK's signal read back in Swift.
@Suite(.serialized)
struct WorkflowClientInteropTests {
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("interop/client_describe.py").path

    @Test func pythonSDKReadsWhatSwiftWrote() async throws {
        let f = try await WorkflowClientFixture.make()
        let input = TestOrderInput(orderId: "SW-1", amount: 12.5)
        let handle = try await f.start(
            f.newId("interop"), args: [input, "second"], options: .init(memo: ["source": "swift"]))

        let output = try await Self.runPython([Self.script, handle.workflowId, TransportTestSupport.target])
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(json["status"] as? String == "RUNNING")
        #expect(json["workflow_type"] as? String == "TestWorkflow")
        #expect(json["task_queue"] as? String == f.taskQueue)
        let args = try #require(json["input"] as? [Any])
        let first = try #require(args.first as? [String: Any])
        #expect(first["orderId"] as? String == "SW-1")
        #expect(first["amount"] as? Double == 12.5)
        #expect(args.last as? String == "second")
        #expect((json["memo"] as? [String: Any])?["source"] as? String == "swift")

        let signal = try #require(
            try await f.client.history(handle).last { $0.eventType == .workflowExecutionSignaled })
        let fromPython = try f.client.converter.fromPayloads(
            signal.workflowExecutionSignaledEventAttributes.input, at: 0, as: TestOrderInput.self)
        #expect(fromPython == TestOrderInput(orderId: "PY-1", amount: 3.5))
        await f.cleanUp(handle)
    }

    /// Runs the Python SDK script to its end and returns its standard output, waited for off the cooperative pool
    /// (`CommandLineTool`): blocked there (two threads here) for the seconds the SDK takes to start, it starved this
    /// process's workers, and a test with a 3 s workflow task timeout saw its first task time out.
    static func runPython(_ arguments: [String]) async throws -> Data {
        // The test venv made by `make deps` holds the Python SDK; PYTHON overrides it.
        let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let python =
            ProcessInfo.processInfo.environment["PYTHON"]
            ?? repoRoot.appendingPathComponent(".venv/bin/python").path
        let run = try await CommandLineTool.run([python] + arguments)
        if run.status != 0 {
            Issue.record(
                """
                \(python) \(arguments.joined(separator: " ")) exited \(run.status) \
                (\(run.killedBySignal ? "signal" : "exit")): \(run.stderr) \(run.text)
                """)
        }
        return run.stdout
    }
}
