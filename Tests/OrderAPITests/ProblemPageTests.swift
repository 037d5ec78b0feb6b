import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import OrderAPI

/// Every problem `type` URI the API returns resolves to a page for people (RFC 9457 §3.1.1).
@Suite struct ProblemPageTests {
    @Test func everyProblemTypeURIAnswersWithItsPage() async throws {
        try await APITestHarness().run { client in
            for kind in ProblemKind.allCases {
                let response = try await client.get(kind.typeURI)
                #expect(response.status == .ok, "\(kind.typeURI) → \(response.status)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(kind.typeURI)")
                let page = response.text
                #expect(page.contains("<h1>\(kind.title)</h1>"), "\(kind.typeURI): \(page)")
                #expect(page.contains("HTTP <strong>\(kind.status.code) "), "\(kind.typeURI) states no status")
                #expect(page.contains("<h2>What it means</h2>") && page.contains("<h2>What to do</h2>"))
                #expect(!kind.meaning.isEmpty && !kind.remedy.isEmpty)
            }
        }
    }

    @Test func aProblemResponsesTypeLeadsToThePageOfThatType() async throws {
        try await APITestHarness().run { client in
            let problem = try await client.get("/api/orders/no-such-order")
            problem.expectProblem(.notFound, type: "order-not-found")
            let type = try #require(problem.json["type"] as? String)
            let page = try await client.get(type)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Order not found</h1>"))
            #expect(page.text.contains("HTTP <strong>404 Not Found</strong>"))
        }
    }

    @Test func unknownSlugIs404ProblemJSON() async throws {
        try await APITestHarness().run { client in
            let response = try await client.get("/problems/no-such-problem")
            response.expectProblem(.notFound, type: "route-not-found")
            #expect((response.json["detail"] as? String)?.contains("no-such-problem") == true)
        }
    }

    @Test func everyPageLinksEveryOtherType() {
        let page = ProblemPageHandler.page(.rateLimited)
        for kind in ProblemKind.allCases where kind != .rateLimited {
            #expect(page.contains("href=\"\(kind.typeURI)\""), "no link to \(kind.typeURI)")
        }
        #expect(!page.contains("href=\"/problems/rate-limited\""))
    }
}
