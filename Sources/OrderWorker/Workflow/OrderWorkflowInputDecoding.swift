import Foundation
import OrderCore
import TemporalBridge

/// The workflow's input as received: decoding it never throws, so an input that does not fit ends
/// the run at once as a non-retryable `InvalidOrder` naming the field, rather than as a payload
/// error about Swift types.
struct ReceivedOrderWorkflowInput: Decodable, Sendable {
    let decoded: Result<OrderWorkflowInput, InvalidOrderInput>

    init(from decoder: any Decoder) {
        do {
            decoded = .success(try OrderWorkflowInput(from: decoder))
        } catch let error as DecodingError {
            decoded = .failure(InvalidOrderInput(error))
        } catch {
            decoded = .failure(InvalidOrderInput(problem: "\(error)"))
        }
    }

    /// The order input, or the `InvalidOrder` failure the run ends with (also for a missing input).
    static func order(from received: ReceivedOrderWorkflowInput?) throws -> OrderWorkflowInput {
        guard let received else {
            throw InvalidOrderInput(problem: "the workflow input is missing").applicationFailure
        }
        switch received.decoded {
        case .success(let input): return input
        case .failure(let invalid): throw invalid.applicationFailure
        }
    }
}

/// Why the workflow input is not an order, with the JSON path of the field at fault.
struct InvalidOrderInput: Error, Sendable, CustomStringConvertible {
    static let expectedShape =
        #"{"order_id"?, "customer_id", "items": [{"product_id", "quantity"}, ...]}"#

    let problem: String

    init(problem: String) { self.problem = problem }

    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            problem = "\(Self.path(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            problem = "\(Self.path(context.codingPath)) is null"
        case .typeMismatch(let type, let context) where context.codingPath.isEmpty:
            problem =
                "the workflow input must be a JSON object \(Self.expectedShape), not \(Self.kind(of: type, context))"
        case .typeMismatch(let type, let context):
            problem = "\(Self.path(context.codingPath)) must be \(Self.expected(type)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            let field = context.codingPath.isEmpty ? "the workflow input" : Self.path(context.codingPath)
            problem = "\(field) is not valid: \(context.debugDescription)"
        @unknown default:
            problem = "\(error)"
        }
    }

    var description: String { "invalid workflow input: \(problem)" }

    var applicationFailure: ApplicationFailure {
        ApplicationFailure(type: OrderFailureType.invalidOrder.rawValue, message: description, nonRetryable: true)
    }

    /// `items[0].quantity` from the decoder's coding path.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "the workflow input" : text
    }

    private static func expected(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }

    /// What the decoder found instead, from its message ("... but found a string instead.").
    private static func kind(of type: Any.Type, _ context: DecodingError.Context) -> String {
        let message = context.debugDescription
        if let range = message.range(of: "but found "),
            let end = message.range(of: " instead", range: range.upperBound..<message.endIndex)
        {
            return String(message[range.upperBound..<end.lowerBound])
        }
        return message
    }
}
