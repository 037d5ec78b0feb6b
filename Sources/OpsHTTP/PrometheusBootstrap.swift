import Metrics
import Prometheus

/// Makes swift-prometheus the process's swift-metrics backend: everything recorded through
/// swift-metrics (Counter, Timer, Gauge, Recorder) lands in the returned registry, which `/metrics`
/// renders. Call once, before any metric object is made (swift-metrics allows one bootstrap per
/// process; objects made before it stay no-ops).
public enum PrometheusBootstrap {
    /// `durationBuckets` / `valueBuckets`: histogram buckets per series name (e.g.
    /// `TemporalMetricNames.latencyBuckets`); other Timers use swift-prometheus's defaults
    /// (5 ms to 10 s), other Recorders its value defaults.
    public static func bootstrap(
        durationBuckets: [String: [Duration]] = [:], valueBuckets: [String: [Double]] = [:]
    ) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(
            factory(registry: registry, durationBuckets: durationBuckets, valueBuckets: valueBuckets))
        return registry
    }

    /// The factory `bootstrap` installs, for tests that bootstrap themselves.
    public static func factory(
        registry: PrometheusCollectorRegistry, durationBuckets: [String: [Duration]] = [:],
        valueBuckets: [String: [Double]] = [:]
    ) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets.merge(durationBuckets) { _, given in given }
        factory.valueHistogramBuckets.merge(valueBuckets) { _, given in given }
        return factory
    }
}
