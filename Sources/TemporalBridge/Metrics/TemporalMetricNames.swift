/// The series names of Temporal's SDK metrics reference (docs.temporal.io/references/sdk-metrics),
/// spelled as sdk-core's Prometheus exporter writes them, so the dashboards Temporal publishes for
/// its SDKs read ours unchanged.
///
/// Latencies are histograms in seconds under the bare name (no `_seconds` suffix): what sdk-core
/// exports with `durations_as_seconds` on and its default of no unit suffix. Counters carry no
/// `_total` suffix either, as in sdk-core.
public enum TemporalMetricNames {
    public static let request = "temporal_request"
    public static let requestFailure = "temporal_request_failure"
    public static let requestLatency = "temporal_request_latency"
    public static let longRequest = "temporal_long_request"
    public static let longRequestFailure = "temporal_long_request_failure"
    public static let longRequestLatency = "temporal_long_request_latency"

    public static let workflowTaskQueuePollSucceed = "temporal_workflow_task_queue_poll_succeed"
    public static let workflowTaskQueuePollEmpty = "temporal_workflow_task_queue_poll_empty"
    public static let workflowTaskScheduleToStartLatency = "temporal_workflow_task_schedule_to_start_latency"
    public static let workflowTaskExecutionLatency = "temporal_workflow_task_execution_latency"
    public static let workflowTaskReplayLatency = "temporal_workflow_task_replay_latency"
    public static let workflowTaskExecutionFailed = "temporal_workflow_task_execution_failed"

    public static let activityScheduleToStartLatency = "temporal_activity_schedule_to_start_latency"
    public static let activityExecutionLatency = "temporal_activity_execution_latency"
    public static let activityExecutionFailed = "temporal_activity_execution_failed"

    public static let stickyCacheHit = "temporal_sticky_cache_hit"
    public static let stickyCacheMiss = "temporal_sticky_cache_miss"
    public static let stickyCacheSize = "temporal_sticky_cache_size"

    public static let workerTaskSlotsAvailable = "temporal_worker_task_slots_available"
    public static let workerTaskSlotsUsed = "temporal_worker_task_slots_used"
    public static let numPollers = "temporal_num_pollers"

    public static let workflowCompleted = "temporal_workflow_completed"
    public static let workflowFailed = "temporal_workflow_failed"
    public static let workflowCanceled = "temporal_workflow_canceled"
    public static let workflowEndToEndLatency = "temporal_workflow_endtoend_latency"

    /// sdk-core's default buckets per latency histogram (its millisecond buckets divided by 1000).
    /// A metrics backend that supports per-series buckets (swift-prometheus does) should use these;
    /// latencies not listed use sdk-core's default of 0.05, 0.1, 0.5, 1, 2.5 and 10 s.
    public static let latencyBuckets: [String: [Duration]] = {
        let requests = seconds([0.05, 0.1, 0.5, 1, 2.5, 10])
        let workflowTask = seconds([0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1])
        let scheduleToStart = seconds([0.1, 0.5, 1, 5, 10, 100, 1000])
        return [
            requestLatency: requests,
            longRequestLatency: requests,
            workflowTaskScheduleToStartLatency: scheduleToStart,
            workflowTaskExecutionLatency: workflowTask,
            workflowTaskReplayLatency: workflowTask,
            activityScheduleToStartLatency: scheduleToStart,
            activityExecutionLatency: seconds([0.05, 0.1, 0.5, 1, 5, 10, 60]),
            workflowEndToEndLatency: seconds([
                0.1, 0.5, 1, 1.5, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 30600, 86400,
            ]),
        ]
    }()

    private static func seconds(_ values: [Double]) -> [Duration] {
        values.map { Duration.milliseconds(Int64(($0 * 1000).rounded())) }
    }
}
