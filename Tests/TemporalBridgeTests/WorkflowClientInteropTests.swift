import Foundation
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

    /// Runs the Python SDK script to its end and returns its standard output. The process is waited for on a thread
    /// of its own: blocked on Swift's cooperative pool (two threads here) for the seconds the SDK takes to start, it
    /// starved this process's workers, and a test with a 3 s workflow task timeout saw its first task time out.
    static func runPython(_ arguments: [String]) async throws -> Data {
        // The test venv made by `make deps` holds the Python SDK; PYTHON overrides it.
        let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let python =
            ProcessInfo.processInfo.environment["PYTHON"]
            ?? repoRoot.appendingPathComponent(".venv/bin/python").path
        let run = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try PythonRun(python, arguments) }) }.start()
        }
        if run.status != 0 {
            Issue.record(
                """
                \(python) \(arguments.joined(separator: " ")) exited \(run.status) \
                (\(run.killedBySignal ? "signal" : "exit")): \
                \(String(decoding: run.errors, as: UTF8.self)) \(String(decoding: run.output, as: UTF8.self))
                """)
        }
        return run.output
    }
}

/// One finished run of a Python script; the initialiser blocks until the process ends.
private struct PythonRun: Sendable {
    let status: Int32
    let killedBySignal: Bool
    let output: Data
    let errors: Data

    init(_ python: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        output = stdout.fileHandleForReading.readDataToEndOfFile()
        errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        killedBySignal = process.terminationReason == .uncaughtSignal
    }
}
