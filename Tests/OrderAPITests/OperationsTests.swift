import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import OrderAPI

@Suite struct OperationsTests {
    @Test func healthzAnswers() async throws {
        try await APITestHarness().run { client in
            let response = try await client.get("/healthz")
            #expect(response.status == .ok)
            #expect(response.json["status"] as? String == "ok")
        }
    }

    @Test func readyzListsEveryDependencyWhenUp() async throws {
        try await APITestHarness().run { client in
            let response = try await client.get("/readyz")
            #expect(response.status == .ok)
            let checks = try #require(response.json["checks"] as? [String: [String: Any]])
            #expect(checks["postgres"]?["status"] as? String == "up")
            #expect(checks["temporal"]?["status"] as? String == "up")
        }
    }

    @Test func readyzNamesTemporalWhenItIsDown() async throws {
        let harness = APITestHarness()
        await harness.gateway.setUnavailable(true)
        try await harness.run { client in
            let response = try await client.get("/readyz")
            response.expectProblem(.serviceUnavailable, type: "not-ready")
            #expect((response.json["detail"] as? String)?.contains("temporal") == true)
            #expect(response.problemFields == ["temporal"])
            let checks = try #require(response.json["checks"] as? [String: [String: Any]])
            #expect(checks["temporal"]?["status"] as? String == "down")
            #expect(checks["postgres"]?["status"] as? String == "up")
        }
    }

    @Test func readyzNamesPostgresWhenItIsDown() async throws {
        let harness = APITestHarness()
        await harness.repository.setDown(true)
        try await harness.run { client in
            let response = try await client.get("/readyz")
            response.expectProblem(.serviceUnavailable, type: "not-ready")
            #expect(response.problemFields == ["postgres"])
        }
    }

    @Test func metricsAreExposedInPrometheusText() async throws {
        try await APITestHarness().run { client in
            _ = try await client.postJSON("/api/orders", Bodies.order())
            _ = try await client.get("/api/products")
            let response = try await client.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            #expect(text.contains("orderflow_orders_created_total"))
            #expect(text.contains("hb_requests"))
            #expect(text.contains(#"http_route="/api/products""#))
            #expect(text.contains("http_server_request_duration_bucket"))
        }
    }

    @Test func temporalErrorsAreCounted() async throws {
        let harness = APITestHarness()
        await harness.gateway.setUnavailable(true)
        try await harness.run { client in
            _ = try await client.postJSON("/api/orders", Bodies.order())
            let text = try await client.get("/metrics").text
            #expect(text.contains(#"orderflow_temporal_call_errors_total{operation="start"}"#))
        }
    }

    @Test func everyResponseCarriesARequestId() async throws {
        try await APITestHarness().run { client in
            let generated = try await client.get("/healthz")
            #expect(generated.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            let echoed = try await client.get("/healthz", headers: [HTTPField.Name("X-Request-Id")!: "trace-abc.1"])
            #expect(echoed.headers[HTTPField.Name("X-Request-Id")!] == "trace-abc.1")
            let refused = try await client.get("/healthz", headers: [HTTPField.Name("X-Request-Id")!: "bad id\u{7f}"])
            #expect(refused.headers[HTTPField.Name("X-Request-Id")!] != "bad id\u{7f}")
            let onError = try await client.get("/nowhere")
            #expect(onError.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
        }
    }

    @Test func configTellsThePageWhereTheTemporalUIIs() async throws {
        try await APITestHarness().run { client in
            let response = try await client.get("/api/config")
            #expect(response.json["temporal_ui_url"] as? String == "http://ui.test:8088")
            #expect(response.json["temporal_namespace"] as? String == "default")
        }
    }

    @Test func webPageAndAssetsAreServed() async throws {
        try await APITestHarness().run { client in
            let page = try await client.get("/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.text.contains("/app.js"))
            let script = try await client.get("/app.js")
            #expect(script.status == .ok)
            #expect(script.text.contains("/api/orders"))
            let style = try await client.get("/style.css")
            #expect(style.status == .ok)
        }
    }

    @Test func corsPreflightIsAnswered() async throws {
        try await APITestHarness().run { client in
            let response = try await client.execute(
                uri: "/api/orders", method: .options,
                headers: [.origin: "http://example.test", .accessControlRequestMethod: "POST"]
            )
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == "http://example.test")
        }
    }
}
