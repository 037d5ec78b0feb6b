import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import NIOCore
import OrderCore
import Prometheus
import Testing

@testable import OrderAPI

/// Builds the real application around fakes and runs `body` against it in-process.
struct APITestHarness {
    let gateway = FakeWorkflowGateway()
    let repository = FakeOrderRepository()
    let registry = PrometheusCollectorRegistry()

    static let publicDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/OrderAPI/Public").path

    var services: APIServices {
        APIServices(
            gateway: gateway, repository: repository,
            web: WebSettings(temporalUIURL: "http://ui.test:8088", temporalNamespace: "default"),
            publicDirectory: Self.publicDirectory, metricsRegistry: metricsRegistry,
            readinessTimeout: .milliseconds(500)
        )
    }

    /// swift-metrics can be bootstrapped once per process: all harnesses share that registry.
    var metricsRegistry: PrometheusCollectorRegistry { SharedMetrics.registry }

    func run<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        _ = SharedMetrics.bootstrapped
        var logger = Logger(label: "order-api-test")
        logger.logLevel = .critical
        let app = try buildApplication(services: services, logger: logger)
        return try await app.test(.router, body)
    }
}

enum SharedMetrics {
    static let registry = PrometheusCollectorRegistry()
    static let bootstrapped: Void = MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }

    var problemFields: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// Asserts the RFC 9457 shape every error answer has.
    func expectProblem(_ status: HTTPResponse.Status, type: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(self.status == status, "body: \(text)", sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let json = self.json
        #expect(json["type"] as? String == "/problems/\(type)", "body: \(text)", sourceLocation: sourceLocation)
        #expect(json["title"] is String, sourceLocation: sourceLocation)
        #expect(json["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect(json["detail"] is String, sourceLocation: sourceLocation)
        #expect(json["errors"] is [Any], sourceLocation: sourceLocation)
    }
}

extension TestClientProtocol {
    func postJSON(_ uri: String, _ json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        if fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: json))
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }
}

enum Bodies {
    static func order(customer: String = "cust-1", orderId: String? = nil, items: String = item()) -> String {
        let id = orderId.map { #""order_id": "\#($0)", "# } ?? ""
        return #"{\#(id)"customer_id": "\#(customer)", "items": [\#(items)]}"#
    }

    static func item(
        product: String = "PROD-001", name: String = "Laptop", quantity: String = "1", price: String = "1299.99"
    ) -> String {
        #"{"product_id": "\#(product)", "product_name": "\#(name)", "quantity": \#(quantity), "unit_price": \#(price)}"#
    }
}
