import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import OpsHTTP
import Prometheus
import Testing

/// The worker's operations port: /healthz, /readyz (200 or 503 naming what is down), /metrics.
@Suite struct OpsServerTests {
    let registry = PrometheusCollectorRegistry()

    private func app(_ readiness: @escaping @Sendable () async -> [DependencyCheck]) -> some ApplicationProtocol {
        Application(router: OpsServer.router(registry: registry, readiness: readiness, logger: Logger(label: "test")))
    }

    private func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func healthzAnswersWhileTheProcessLives() async throws {
        try await app({ [DependencyCheck(name: "postgres", up: false, detail: "down")] }).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["status"] as? String == "ok")
            }
        }
    }

    @Test func readyzIs200WhenEveryCheckIsUp() async throws {
        let checks = [DependencyCheck(name: "temporal_pollers", up: true), DependencyCheck(name: "postgres", up: true)]
        try await app({ checks }).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response)
                #expect(body["status"] as? String == "ready")
                #expect(body["reason"] == nil)
                let states = try #require(body["checks"] as? [String: [String: Any]])
                #expect(states["postgres"]?["status"] as? String == "up")
                #expect(states["temporal_pollers"]?["status"] as? String == "up")
            }
        }
    }

    @Test func readyzIs503NamingWhatIsDown() async throws {
        let checks = [
            DependencyCheck(name: "temporal_pollers", up: false, detail: "Temporal at localhost:7233 is unreachable"),
            DependencyCheck(name: "postgres", up: true),
        ]
        try await app({ checks }).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "5")
                let body = try json(response)
                #expect(body["status"] as? String == "not_ready")
                #expect(body["reason"] as? String == "temporal_pollers: Temporal at localhost:7233 is unreachable")
                let states = try #require(body["checks"] as? [String: [String: Any]])
                #expect(states["temporal_pollers"]?["status"] as? String == "down")
                #expect(states["postgres"]?["status"] as? String == "up")
            }
        }
    }

    @Test func metricsRendersTheRegistryAsPrometheusText() async throws {
        let completed = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "temporal_workflow_completed", unitName: "", helpText: ""),
            labels: [("namespace", "default")])
        completed.increment(by: Int64(3))
        try await app({ [] }).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE temporal_workflow_completed counter"))
                #expect(text.contains(#"temporal_workflow_completed{namespace="default"} 3"#))
            }
        }
    }

    @Test func aProbeThatDoesNotAnswerIsDownWithinItsTimeout() async {
        let started = ContinuousClock.now
        let check = await DependencyCheck.run("postgres", timeout: .milliseconds(100)) {
            try await Task.sleep(for: .seconds(30))
            return true
        }
        #expect(!check.up)
        #expect(check.detail?.contains("no answer within") == true)
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
