/// Walks the top-level fields of a protobuf message's bytes (enough to pick one field out).
struct ProtoFieldReader {
    struct Field {
        let number: Int
        /// The payload of a length-delimited field; nil for other wire types.
        let bytes: [UInt8]?
    }

    struct Malformed: Error {}

    private let data: [UInt8]
    private var offset = 0

    init(_ data: [UInt8]) { self.data = data }

    mutating func next() throws -> Field? {
        guard offset < data.count else { return nil }
        let key = try varint()
        let number = Int(key >> 3)
        switch key & 7 {
        case 0:
            _ = try varint()
            return Field(number: number, bytes: nil)
        case 1: try skip(8)
        case 5: try skip(4)
        case 2:
            let length = Int(try varint())
            guard length >= 0, offset + length <= data.count else { throw Malformed() }
            let bytes = Array(data[offset..<offset + length])
            offset += length
            return Field(number: number, bytes: bytes)
        default: throw Malformed()
        }
        return Field(number: number, bytes: nil)
    }

    private mutating func skip(_ count: Int) throws {
        guard offset + count <= data.count else { throw Malformed() }
        offset += count
    }

    private mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < data.count, shift < 64 {
            let byte = data[offset]
            offset += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        throw Malformed()
    }
}
