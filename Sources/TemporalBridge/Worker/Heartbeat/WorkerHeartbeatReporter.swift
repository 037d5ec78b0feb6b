import Logging
import SwiftProtobuf

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends worker heartbeats (`RecordWorkerHeartbeat`) the way the official SDKs do, so the Web UI's
/// Workers page and `temporal worker list` / `describe` show this worker: one at start, then one
/// every `WorkerOptions.heartbeatInterval` (60 s, sdk-core's default). The last one, with status
/// SHUTTING_DOWN, rides on the ShutdownWorker request (`finalHeartbeat()`).
final class WorkerHeartbeatReporter: @unchecked Sendable {
    /// Groups the workers of one process (sdk-core: one per client + namespace + process).
    static let groupingKey = UUID().uuidString.lowercased()

    private let shared: WorkerSharedState
    private let startTime = Date()
    private let hostUsage = HostUsage()
    private let lock = Lock()
    private var lastSent: Date?
    private var lastTotals = (workflowProcessed: 0, workflowFailed: 0, activityProcessed: 0, activityFailed: 0)

    init(shared: WorkerSharedState) { self.shared = shared }

    /// Heartbeats until cancelled. A failed send is logged and retried at the next interval:
    /// heartbeats are informational and must never stop the worker.
    func run(interval: Duration) async {
        var warned = false
        while !Task.isCancelled {
            do {
                try await send(heartbeat(status: .running))
                if warned { shared.logger.info("worker heartbeats are accepted again") }
                warned = false
            } catch is CancellationError {
                return
            } catch let error as TemporalRPCError where error.code == .cancelled {
                return
            } catch {
                // Servers without worker heartbeats answer UNIMPLEMENTED: say so once, keep polling.
                if !warned {
                    shared.logger.warning(
                        "worker heartbeat not accepted; the Workers page will not list this worker",
                        metadata: ["error": "\(error)"])
                }
                warned = true
            }
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// The heartbeat sent with ShutdownWorker when shutdown starts.
    func finalHeartbeat() -> Temporal_Api_Worker_V1_WorkerHeartbeat {
        heartbeat(status: .shuttingDown)
    }

    private func send(_ heartbeat: Temporal_Api_Worker_V1_WorkerHeartbeat) async throws {
        var request = Temporal_Api_Workflowservice_V1_RecordWorkerHeartbeatRequest()
        request.namespace = shared.namespace
        request.identity = shared.identity
        request.workerHeartbeat = [heartbeat]
        _ = try await shared.service.recordWorkerHeartbeat(request, timeout: .seconds(10), retry: .none)
    }

    /// This worker's state now; also starts the next "since the last heartbeat" interval.
    func heartbeat(status: Temporal_Api_Enums_V1_WorkerStatus) -> Temporal_Api_Worker_V1_WorkerHeartbeat {
        let now = Date()
        let stats = shared.statistics
        let workflow = shared.workflowTaskFigures.snapshot
        let activity = shared.activityTaskFigures.snapshot
        let (previousSend, previous) = lock.withLock {
            defer {
                lastSent = now
                lastTotals = (workflow.processed, workflow.failed, activity.processed, activity.failed)
            }
            return (lastSent, lastTotals)
        }

        var heartbeat = Temporal_Api_Worker_V1_WorkerHeartbeat()
        heartbeat.workerInstanceKey = shared.instanceKey
        heartbeat.workerIdentity = shared.identity
        heartbeat.hostInfo = hostInfo()
        heartbeat.taskQueue = shared.taskQueue
        heartbeat.sdkName = SDKIdentity.name
        heartbeat.sdkVersion = SDKIdentity.version
        heartbeat.status = status
        heartbeat.startTime = Google_Protobuf_Timestamp(date: startTime)
        heartbeat.heartbeatTime = Google_Protobuf_Timestamp(date: now)
        if let previousSend {
            heartbeat.elapsedSinceLastHeartbeat = Google_Protobuf_Duration(
                rounding: now.timeIntervalSince(previousSend))
        }
        heartbeat.workflowTaskSlotsInfo = Self.slots(
            capacity: shared.options.maxConcurrentWorkflowTasks, figures: workflow,
            sinceLast: (workflow.processed - previous.workflowProcessed, workflow.failed - previous.workflowFailed))
        if !shared.activities.isEmpty {
            heartbeat.activityTaskSlotsInfo = Self.slots(
                capacity: shared.options.maxConcurrentActivities, figures: activity,
                sinceLast: (activity.processed - previous.activityProcessed, activity.failed - previous.activityFailed))
            heartbeat.activityPollerInfo = Self.pollers(shared.activityPollerFigures)
        }
        heartbeat.workflowPollerInfo = Self.pollers(shared.workflowPollerFigures)
        if shared.stickyExecution {
            heartbeat.workflowStickyPollerInfo = Self.pollers(shared.stickyPollerFigures)
        }
        heartbeat.totalStickyCacheHit = Self.int32(stats.cacheHits)
        heartbeat.totalStickyCacheMiss = Self.int32(stats.cacheMisses)
        heartbeat.currentStickyCacheSize = Self.int32(shared.cache.count)
        return heartbeat
    }

    private func hostInfo() -> Temporal_Api_Worker_V1_WorkerHostInfo {
        var host = Temporal_Api_Worker_V1_WorkerHostInfo()
        host.hostName = ProcessInfo.processInfo.hostName
        host.processID = String(getpid())
        host.workerGroupingKey = Self.groupingKey
        let usage = hostUsage.sample()
        host.currentHostCpuUsage = usage.cpu
        host.currentHostMemUsage = usage.memory
        return host
    }

    private static func slots(
        capacity: Int, figures: (running: Int, processed: Int, failed: Int), sinceLast: (processed: Int, failed: Int)
    ) -> Temporal_Api_Worker_V1_WorkerSlotsInfo {
        var slots = Temporal_Api_Worker_V1_WorkerSlotsInfo()
        slots.currentUsedSlots = int32(figures.running)
        slots.currentAvailableSlots = int32(max(0, capacity - figures.running))
        slots.slotSupplierKind = "Fixed"
        slots.totalProcessedTasks = int32(figures.processed)
        slots.totalFailedTasks = int32(figures.failed)
        slots.lastIntervalProcessedTasks = int32(sinceLast.processed)
        slots.lastIntervalFailureTasks = int32(sinceLast.failed)
        return slots
    }

    private static func pollers(_ figures: PollerFigures) -> Temporal_Api_Worker_V1_WorkerPollerInfo {
        let snapshot = figures.snapshot
        var pollers = Temporal_Api_Worker_V1_WorkerPollerInfo()
        pollers.currentPollers = int32(snapshot.currentPollers)
        if let last = snapshot.lastSuccessfulPoll {
            pollers.lastSuccessfulPollTime = Google_Protobuf_Timestamp(date: last)
        }
        pollers.isAutoscaling = false
        return pollers
    }

    /// The proto's counters are int32; a long-lived worker saturates rather than wraps.
    private static func int32(_ value: Int) -> Int32 { Int32(clamping: value) }
}
