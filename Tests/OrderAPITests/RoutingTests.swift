import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import OrderAPI

@Suite struct RoutingTests {
    @Test func unknownRouteIs404ProblemJSON() async throws {
        try await APITestHarness().run { client in
            try await client.get("/api/nothing-here").expectProblem(.notFound, type: "route-not-found")
            try await client.execute(uri: "/nowhere", method: .post).expectProblem(.notFound, type: "route-not-found")
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await APITestHarness().run { client in
            let response = try await client.execute(uri: "/api/orders", method: .delete)
            response.expectProblem(.methodNotAllowed, type: "method-not-allowed")
            #expect(response.headers[.allow] == "GET, POST")
            let cancel = try await client.get("/api/orders/o-1/cancel")
            cancel.expectProblem(.methodNotAllowed, type: "method-not-allowed")
            #expect(cancel.headers[.allow] == "POST")
        }
    }

    /// The (method, path) pairs documented in openapi.yaml's `paths`.
    static func documentedOperations() throws -> Set<String> {
        let yaml = try String(contentsOfFile: APITestHarness.publicDirectory + "/openapi.yaml", encoding: .utf8)
        var operations = Set<String>()
        var currentPath: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " " { inPaths = false }
            guard inPaths else { continue }
            if let match = line.wholeMatch(of: #/  (\/\S*):\s*/#) {
                currentPath = String(match.output.1)
            } else if let match = line.wholeMatch(of: #/    (get|put|post|delete|patch|head|options):\s*/#),
                let currentPath
            {
                operations.insert("\(match.output.1.uppercased()) \(currentPath)")
            }
        }
        return operations
    }

    @Test func openAPIDocumentsExactlyTheRoutedOperations() async throws {
        let harness = APITestHarness()
        let (_, table) = try buildRouter(services: harness.services, logger: Logger(label: "test"))
        let routed = Set(table.all.map(\.description))
        let documented = try Self.documentedOperations()
        #expect(documented.count >= 12)
        #expect(routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented))")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed))")
    }

    @Test func everyDocumentedOperationIsAnsweredByARoute() async throws {
        let documented = try Self.documentedOperations()
        try await APITestHarness().run { client in
            for operation in documented.sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(String(parts[0]))!
                let uri = String(parts[1]).replacingOccurrences(of: "{id}", with: "some-order")
                    .replacingOccurrences(of: "{slug}", with: ProblemKind.notReady.rawValue)
                let response = try await client.execute(uri: uri, method: method)
                let type = response.json["type"] as? String
                #expect(
                    type != "/problems/route-not-found" && type != "/problems/method-not-allowed",
                    "\(operation) → \(response.status)")
                #expect(
                    response.status.code < 500 || response.status == .serviceUnavailable,
                    "\(operation) → \(response.status) \(response.text)")
            }
        }
    }

    @Test func openAPIDocumentIsServedAsYAML() async throws {
        try await APITestHarness().run { client in
            let response = try await client.get("/openapi.yaml")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            #expect(response.text.hasPrefix("openapi: 3.1"))
        }
    }

    @Test func openAPIListsEveryProblemType() throws {
        let yaml = try String(contentsOfFile: APITestHarness.publicDirectory + "/openapi.yaml", encoding: .utf8)
        for kind in ProblemKind.allCases {
            #expect(yaml.contains("- \(kind.typeURI)"), "\(kind.typeURI) not documented")
        }
    }
}
