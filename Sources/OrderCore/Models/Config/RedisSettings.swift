import Foundation

/// Where the Redis server is and how to log in (`REDIS_URL`), parsed from `redis://[[user]:password@]host[:port][/db]`.
public struct RedisSettings: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// ACL user (Redis 6+); nil logs in as `default` with `password` only.
    public var username: String?
    public var password: String?
    public var database: Int

    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` URL. `rediss://` is refused: Debian's libhiredis 0.14 has no TLS.
    public init(url: String) throws(RedisURLError) {
        guard let schemeEnd = url.range(of: "://") else { throw .notARedisURL }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if scheme == "rediss" { throw .tlsUnsupported }
        guard scheme == "redis" else { throw .notARedisURL }
        var rest = Substring(url[schemeEnd.upperBound...])
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<query] }

        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = credentials[..<colon]
                username = user.isEmpty ? nil : try Self.decoded(user)
                password = try Self.decoded(credentials[credentials.index(after: colon)...])
            } else if !credentials.isEmpty {
                // `redis://secret@host` is the common spelling of a password without a user.
                password = try Self.decoded(credentials)
            }
        }

        let (host, port) = try Self.hostAndPort(rest)
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), (0...15_999).contains(number) else { throw .invalidDatabase(String(path)) }
            database = number
        }
        self.init(host: host, port: port, username: username, password: password, database: database)
    }

    /// `host:port/db`, never the credentials.
    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }

    private static func hostAndPort(_ authority: Substring) throws(RedisURLError) -> (String, Int) {
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost(String(authority)) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .invalidHost(String(authority))
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        let name = host.isEmpty ? "localhost" : String(host)
        guard let portText else { return (name, 6379) }
        guard let port = Int(portText), (1...65535).contains(port) else { throw .invalidPort(String(portText)) }
        return (name, port)
    }

    private static func decoded(_ text: Substring) throws(RedisURLError) -> String {
        guard let value = String(text).removingPercentEncoding else { throw .invalidCredentials }
        return value
    }
}

/// Why a REDIS_URL cannot be used.
public enum RedisURLError: Error, Sendable, Equatable, CustomStringConvertible {
    case notARedisURL
    case tlsUnsupported
    case invalidHost(String)
    case invalidPort(String)
    case invalidDatabase(String)
    case invalidCredentials

    public var description: String {
        switch self {
        case .notARedisURL: "a redis://[[user]:password@]host[:port][/db] URL"
        case .tlsUnsupported: "redis:// (libhiredis 0.14 has no TLS, so rediss:// is not supported)"
        case .invalidHost(let host): "a valid host (got \(host))"
        case .invalidPort(let port): "a port from 1 to 65535 (got \(port))"
        case .invalidDatabase(let db): "a database number from 0 to 15999 after the / (got \(db))"
        case .invalidCredentials: "percent-encoded credentials"
        }
    }
}
