import Foundation
import Logging
import Testing

@testable import TemporalBridge

/// Worker heartbeats on the shared dev server: the worker's last heartbeat reads back through
/// DescribeWorker, ListWorkers and `temporal worker list`, with its figures after real work, and
/// says SHUTTING_DOWN once the worker stops.
@Suite(.serialized) struct WorkerHeartbeatIntegrationTests {
    private func describe(_ service: WorkflowServiceClient, _ key: String) async throws
        -> Temporal_Api_Worker_V1_WorkerHeartbeat?
    {
        var request = Temporal_Api_Workflowservice_V1_DescribeWorkerRequest()
        request.workerInstanceKey = key
        do {
            let response = try await service.describeWorker(request, retry: .none)
            return response.workerInfo.hasWorkerHeartbeat ? response.workerInfo.workerHeartbeat : nil
        } catch let error as TemporalRPCError where error.code == .notFound {
            return nil
        }
    }

    @Test func heartbeatsDescribeTheWorkerAndItsWork() async throws {
        let connection = try await TransportTestSupport.connect()
        let service = WorkflowServiceClient(connection: connection)
        let client = WorkflowClient(connection: connection)
        let queue = TransportTestSupport.uniqueName("heartbeat-it")
        var options = WorkerOptions()
        options.heartbeatInterval = .milliseconds(500)
        var logger = Logger(label: "heartbeat-test")
        logger.logLevel = .warning
        let worker = Worker(
            connection: connection, taskQueue: queue, workflows: [WorkerTestSupport.sampleWorkflow],
            activities: WorkerTestSupport.activities(AttemptCounter()), options: options, logger: logger)
        let running = Task { try await worker.run() }
        defer { running.cancel() }

        // Listed at once, before any work.
        var first: Temporal_Api_Worker_V1_WorkerHeartbeat?
        try await WorkerTestSupport.waitUntil {
            first = try await describe(service, worker.instanceKey)
            return first != nil
        }
        let started = try #require(first)
        #expect(started.status == .running)
        #expect(started.taskQueue == queue)
        #expect(started.workerIdentity == worker.identity)
        #expect(started.sdkName == SDKIdentity.name && started.sdkVersion == SDKIdentity.version)
        #expect(started.hostInfo.hostName == ProcessInfo.processInfo.hostName)
        #expect(started.hostInfo.processID == String(ProcessInfo.processInfo.processIdentifier))
        #expect(!started.hostInfo.workerGroupingKey.isEmpty)
        #expect((0...1).contains(started.hostInfo.currentHostCpuUsage))
        #expect(started.hostInfo.currentHostMemUsage > 0 && started.hostInfo.currentHostMemUsage <= 1)
        #expect(started.startTime.date <= started.heartbeatTime.date)
        #expect(started.workflowTaskSlotsInfo.slotSupplierKind == "Fixed")
        #expect(started.workflowTaskSlotsInfo.currentAvailableSlots == 100)

        // Real work: the sample runs three activities (one retried), a timer, a signal.
        let id = TransportTestSupport.uniqueName("heartbeat-sample")
        let handle = try await client.start(workflowType: "IntegrationSample", id: id, taskQueue: queue, args: ["x"])
        try await WorkerTestSupport.waitUntil {
            let status: StepStatus = try await client.query(handle, name: "getStatus")
            return status.step == "waiting for release"
        }
        try await client.signal(handle, name: "release", args: ["now"])
        let _: String = try await client.result(handle)

        var latest: Temporal_Api_Worker_V1_WorkerHeartbeat?
        try await WorkerTestSupport.waitUntil {
            latest = try await describe(service, worker.instanceKey)
            return (latest?.activityTaskSlotsInfo.totalProcessedTasks ?? 0) >= 4
        }
        let working = try #require(latest)
        #expect(working.workflowTaskSlotsInfo.totalProcessedTasks >= 4, "\(working.workflowTaskSlotsInfo)")
        #expect(working.activityTaskSlotsInfo.totalProcessedTasks >= 4)  // Append, Flaky twice, Append
        #expect(working.activityTaskSlotsInfo.totalFailedTasks >= 1)  // Flaky's first attempt
        #expect(working.totalStickyCacheHit >= 1)
        #expect(working.workflowPollerInfo.currentPollers >= 1)
        #expect(working.workflowStickyPollerInfo.currentPollers >= 1)
        #expect(working.activityPollerInfo.hasLastSuccessfulPollTime)
        #expect(working.elapsedSinceLastHeartbeat.timeInterval > 0)
        #expect(working.startTime == started.startTime)

        // ListWorkers and the CLI find it by task queue.
        var list = Temporal_Api_Workflowservice_V1_ListWorkersRequest()
        list.query = "TaskQueue=\"\(queue)\""
        list.pageSize = 10
        let listed = try await service.listWorkers(list).workers
        #expect(listed.map(\.workerInstanceKey) == [worker.instanceKey])
        #expect(listed.first?.status == .running)
        let cli = try await WorkerTestSupport.cli(["worker", "list", "--query", "TaskQueue=\"\(queue)\""])
        #expect(cli.contains(worker.instanceKey) && cli.contains("Running"), "temporal worker list: \(cli)")

        // The final heartbeat says SHUTTING_DOWN.
        worker.shutdown()
        try await running.value
        try await WorkerTestSupport.waitUntil {
            try await describe(service, worker.instanceKey)?.status == .shuttingDown
        }
    }
}
