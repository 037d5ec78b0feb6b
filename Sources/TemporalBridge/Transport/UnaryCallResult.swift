#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one unary attempt produced, copied out of gRPC-core's buffers.
struct UnaryCallResult: Sendable {
    var statusCode: Int
    var statusMessage: String
    var statusDetailsBin: Data
    var response: Data?
}
