import Foundation
import Hummingbird
import OrderCore

/// An RFC 9457 problem document. Thrown by handlers; `ProblemMiddleware` renders it as
/// `application/problem+json` `{type, title, status, detail, errors:[{field, message}]}`.
public struct ProblemDetails: Error, Sendable {
    public var kind: ProblemKind
    public var status: HTTPResponse.Status
    public var detail: String
    public var errors: [FieldError]
    /// Extra response headers (Retry-After, Allow).
    public var headers: HTTPFields
    /// Extension members (RFC 9457 §3.2), e.g. the dependency checks of `/readyz`.
    public var extensions: [String: JSONTree]

    /// `status` defaults to the one the kind documents (`ProblemKind.status`, shown on its page).
    public init(
        _ kind: ProblemKind, status: HTTPResponse.Status? = nil, detail: String, errors: [FieldError] = [],
        headers: HTTPFields = [:], extensions: [String: JSONTree] = [:]
    ) {
        self.kind = kind
        self.status = status ?? kind.status
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.extensions = extensions
    }
}

/// The problem types the API emits: the one list behind both the `type` of every problem response and the pages
/// `GET /problems/<slug>` serves (ProblemKind+Guide.swift). `type` URIs are stable and documented in openapi.yaml.
public enum ProblemKind: String, Sendable, CaseIterable {
    case invalidRequest = "invalid-request"
    case malformedJSON = "malformed-json"
    case payloadTooLarge = "payload-too-large"
    case unsupportedMediaType = "unsupported-media-type"
    case routeNotFound = "route-not-found"
    case methodNotAllowed = "method-not-allowed"
    case orderNotFound = "order-not-found"
    case orderAlreadyTerminal = "order-already-terminal"
    case rateLimited = "rate-limited"
    case statusFeedUnavailable = "status-feed-unavailable"
    case serviceUnavailable = "service-unavailable"
    case notReady = "not-ready"
    case internalError = "internal-error"

    public var typeURI: String { "/problems/\(rawValue)" }

    public var title: String {
        switch self {
        case .invalidRequest: "Invalid request"
        case .malformedJSON: "Malformed JSON"
        case .payloadTooLarge: "Payload too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .routeNotFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .orderNotFound: "Order not found"
        case .orderAlreadyTerminal: "Order already finished"
        case .rateLimited: "Too many requests"
        case .statusFeedUnavailable: "Live status feed unavailable"
        case .serviceUnavailable: "Service unavailable"
        case .notReady: "Not ready"
        case .internalError: "Internal server error"
        }
    }
}

extension ProblemDetails {
    static func invalid(_ errors: [FieldError], detail: String = "The request has invalid fields.") -> ProblemDetails {
        ProblemDetails(.invalidRequest, status: .badRequest, detail: detail, errors: errors)
    }

    static func invalidField(_ field: String, _ message: String) -> ProblemDetails {
        .invalid([FieldError(field: field, message: message)], detail: "\(field): \(message)")
    }

    static func temporalUnavailable(_ detail: String) -> ProblemDetails {
        ProblemDetails(
            .serviceUnavailable, status: .serviceUnavailable,
            detail: "Temporal is unavailable: \(detail)", headers: [.retryAfter: "5"]
        )
    }

    static let tooLarge = ProblemDetails(
        .payloadTooLarge, status: .contentTooLarge,
        detail: "The request body is larger than \(RequestBody.maxBytes) bytes."
    )

    static func orderNotFound(_ id: String) -> ProblemDetails {
        ProblemDetails(.orderNotFound, status: .notFound, detail: "No order with id '\(id)'.")
    }
}
