/// A JSON value as `PayloadJSONEncoder` builds it, before it is written. Objects and arrays are
/// classes because Codable's containers are values that share their storage: a nested container
/// handed out earlier still adds to the object it was made for.
enum JSONOutput {
    case null
    /// `true`, `false` or a number, written as it is.
    case literal(String)
    case string(String)
    case object(JSONOutputObject)
    case array(JSONOutputArray)
    /// What a `superEncoder()` produced, read when the value is written (its caller may still be
    /// encoding into it when the container that made it is done).
    case deferred(PayloadJSONEncoder)
}

final class JSONOutputObject {
    /// In the order encoded; written sorted by key, the last of equal keys winning.
    var members: [(key: String, value: JSONOutput)] = []
}

final class JSONOutputArray {
    var elements: [JSONOutput] = []
}

/// Writes a `JSONOutput` as compact JSON: no whitespace, object keys sorted by their UTF-8 bytes (the
/// order of Python's `sort_keys=True`), slashes and non-ASCII text unescaped, control characters
/// escaped as Foundation's JSONEncoder escapes them.
struct JSONOutputWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ value: JSONOutput) {
        switch value {
        case .null:
            bytes.append(contentsOf: "null".utf8)
        case .literal(let text):
            bytes.append(contentsOf: text.utf8)
        case .string(let text):
            writeString(text)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            writeObject(object)
        case .deferred(let encoder):
            write(encoder.encoded)
        }
    }

    private mutating func writeObject(_ object: JSONOutputObject) {
        bytes.append(UInt8(ascii: "{"))
        // Sorted by key, then by position, so that the last of a repeated key can be picked.
        let order = object.members.indices.sorted { left, right in
            let a = object.members[left].key
            let b = object.members[right].key
            if a == b { return left < right }
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
        var first = true
        for (position, index) in order.enumerated() {
            let member = object.members[index]
            if position + 1 < order.count, object.members[order[position + 1]].key == member.key { continue }
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            writeString(member.key)
            bytes.append(UInt8(ascii: ":"))
            write(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Runs of bytes that need no escape are copied whole.
    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
        case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
        case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
        case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
        case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
        case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
        default:
            bytes.append(contentsOf: #"\u00"#.utf8)
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
