import Metrics

/// The series of one workflow type.
struct WorkflowTypeSeries: Sendable {
    let taskExecutionLatency: Metrics.Timer
    let taskReplayLatency: Metrics.Timer
    let taskExecutionFailed: Counter
    let stickyCacheHit: Counter
    let stickyCacheMiss: Counter
    let completed: Counter
    let failed: Counter
    let canceled: Counter
    let endToEndLatency: Metrics.Timer

    init(dimensions: [(String, String)]) {
        typealias Names = TemporalMetricNames
        taskExecutionLatency = Metrics.Timer(
            label: Names.workflowTaskExecutionLatency, dimensions: dimensions, preferredDisplayUnit: .seconds)
        taskReplayLatency = Metrics.Timer(
            label: Names.workflowTaskReplayLatency, dimensions: dimensions, preferredDisplayUnit: .seconds)
        taskExecutionFailed = Counter(label: Names.workflowTaskExecutionFailed, dimensions: dimensions)
        stickyCacheHit = Counter(label: Names.stickyCacheHit, dimensions: dimensions)
        stickyCacheMiss = Counter(label: Names.stickyCacheMiss, dimensions: dimensions)
        completed = Counter(label: Names.workflowCompleted, dimensions: dimensions)
        failed = Counter(label: Names.workflowFailed, dimensions: dimensions)
        canceled = Counter(label: Names.workflowCanceled, dimensions: dimensions)
        endToEndLatency = Metrics.Timer(
            label: Names.workflowEndToEndLatency, dimensions: dimensions, preferredDisplayUnit: .seconds)
    }
}

/// The series of one activity type (run by one workflow type).
struct ActivityTypeSeries: Sendable {
    let scheduleToStartLatency: Metrics.Timer
    let executionLatency: Metrics.Timer
    let executionFailed: Counter

    init(dimensions: [(String, String)]) {
        typealias Names = TemporalMetricNames
        scheduleToStartLatency = Metrics.Timer(
            label: Names.activityScheduleToStartLatency, dimensions: dimensions, preferredDisplayUnit: .seconds)
        executionLatency = Metrics.Timer(
            label: Names.activityExecutionLatency, dimensions: dimensions, preferredDisplayUnit: .seconds)
        executionFailed = Counter(label: Names.activityExecutionFailed, dimensions: dimensions)
    }
}

extension Metrics.Timer {
    func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }

    func record(seconds: Double) {
        guard seconds.isFinite else { return }
        recordNanoseconds(Int64(max(0, seconds) * 1_000_000_000))
    }
}
