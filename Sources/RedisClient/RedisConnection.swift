import CHiredis
import Foundation
import Logging
import ThreadConfinement

#if canImport(Glibc)
    import Glibc
#endif

/// One hiredis connection, opened lazily and reopened after it breaks. Thread-confined: only the
/// thread that owns it (a `RedisConnectionThread` or the subscriber's thread) ever touches it,
/// so hiredis' blocking calls never run on Swift's cooperative pool.
final class RedisConnection: ThreadOwnedConnection {
    private let endpoint: RedisEndpoint
    private let options: RedisClientOptions
    private let label: String
    private let logger: Logger
    private var context: UnsafeMutablePointer<redisContext>?
    /// Set after a failed connect: until then, commands fail without trying again.
    private var retryNotBefore: ContinuousClock.Instant?
    private var lastConnectError = ""

    init(endpoint: RedisEndpoint, options: RedisClientOptions, label: String, logger: Logger) {
        self.endpoint = endpoint
        self.options = options
        self.label = label
        self.logger = logger
    }

    deinit { drop(reason: nil) }

    var isOpen: Bool { context != nil }

    /// Sends one command (each argument binary-safe) and waits for its reply. An error reply is
    /// thrown as `.server`; a broken connection is dropped and thrown as `.connection`.
    func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        let context = try ensureOpen()
        let raw = Self.withArgv(arguments) { count, argv, lengths in
            redisCommandArgv(context, count, argv, lengths)
        }
        guard let raw else { throw brokenConnection(context) }
        defer { freeReplyObject(raw) }
        let reply = Self.decode(raw.assumingMemoryBound(to: redisReply.self))
        if case .error(let message) = reply { throw RedisError(kind: .server, message: message) }
        return reply
    }

    /// The next reply the server pushes (pub/sub messages), waiting at most `timeout`;
    /// nil when nothing arrived in time.
    func nextPush(within timeout: Duration) throws(RedisError) -> RedisReply? {
        guard let context else { throw RedisError(kind: .connection, message: "not connected") }
        if let buffered = try bufferedReply(context) { return buffered }
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(Self.milliseconds(timeout)))
        if ready == 0 || (ready < 0 && errno == EINTR) { return nil }
        guard redisBufferRead(context) == REDIS_OK else { throw brokenConnection(context) }
        return try bufferedReply(context)
    }

    /// Closes the connection (if any) so the next command opens a fresh one.
    func drop(reason: String?) {
        guard let context else { return }
        if let reason {
            logger.warning("dropping Redis connection", metadata: ["connection": "\(label)", "reason": "\(reason)"])
        }
        redisFree(context)
        self.context = nil
    }

    /// Makes sure there is a healthy connection: opens one if there is none, or if the server
    /// closed the idle one (restart, `CLIENT KILL`, idle timeout).
    @discardableResult
    func ensureOpen() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context {
            if !Self.hasUnexpectedInput(context) { return context }
            drop(reason: "connection closed by the server while idle")
        }
        let now = ContinuousClock.now
        if let retryNotBefore, now < retryNotBefore {
            throw RedisError(
                kind: .connection, message: "Redis at \(endpoint) is unreachable (\(lastConnectError)); retrying soon")
        }
        do {
            let opened = try open()
            retryNotBefore = nil
            return opened
        } catch {
            lastConnectError = error.message
            retryNotBefore = now.advanced(by: options.reconnectDelay)
            throw error
        }
    }

    // MARK: - private

    private func open() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        guard
            let context = redisConnectWithTimeout(
                endpoint.host, Int32(endpoint.port), Self.timeval(options.connectTimeout))
        else {
            throw RedisError(kind: .connection, message: "hiredis could not allocate a connection")
        }
        if context.pointee.err != 0 {
            let message = Self.errorString(context)
            redisFree(context)
            throw RedisError(kind: .connection, message: "cannot connect to \(endpoint): \(message)")
        }
        redisSetTimeout(context, Self.timeval(options.commandTimeout))
        redisEnableKeepAlive(context)
        self.context = context
        do {
            if let password = endpoint.password {
                let credentials = [endpoint.username, password].compactMap { $0 }.map { Array($0.utf8) }
                _ = try command([Array("AUTH".utf8)] + credentials)
            }
            if endpoint.database != 0 {
                _ = try command([Array("SELECT".utf8), Array(String(endpoint.database).utf8)])
            }
        } catch {
            drop(reason: nil)
            throw RedisError(kind: .connection, message: "cannot log in to \(endpoint): \(error.message)")
        }
        logger.debug("opened Redis connection", metadata: ["connection": "\(label)", "endpoint": "\(endpoint)"])
        return context
    }

    private func bufferedReply(_ context: UnsafeMutablePointer<redisContext>) throws(RedisError) -> RedisReply? {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else { throw brokenConnection(context) }
        guard let raw else { return nil }
        defer { freeReplyObject(raw) }
        return Self.decode(raw.assumingMemoryBound(to: redisReply.self))
    }

    private func brokenConnection(_ context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let message = Self.errorString(context)
        drop(reason: message)
        return RedisError(kind: .connection, message: message.isEmpty ? "connection lost" : message)
    }

    /// A connection we are not using should have nothing to read: readable input on an idle
    /// connection means the server closed it.
    private static func hasUnexpectedInput(_ context: UnsafeMutablePointer<redisContext>) -> Bool {
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }

    static func decode(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING: return .bulk(bytes(value.str, value.len))
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(value.str, value.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int64(value.integer))
        case REDIS_REPLY_ARRAY:
            return .array((0..<value.elements).compactMap { index in value.element[index].map(decode) })
        default: return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ length: Int) -> [UInt8] {
        guard let pointer, length > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: length))
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Calls hiredis' argv functions with one contiguous copy of `arguments` (NUL bytes allowed).
    private static func withArgv<R>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        let total = arguments.reduce(0) { $0 + $1.count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
        defer { storage.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        var offset = 0
        for argument in arguments {
            let destination = storage.baseAddress! + offset
            argument.withUnsafeBytes { source in
                if let base = source.baseAddress { destination.copyMemory(from: base, byteCount: source.count) }
            }
            pointers.append(UnsafePointer(destination.assumingMemoryBound(to: CChar.self)))
            lengths.append(argument.count)
            offset += argument.count
        }
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { argvlen in
                body(Int32(arguments.count), argv.baseAddress!, argvlen.baseAddress!)
            }
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let milliseconds = milliseconds(duration)
        return Glibc.timeval(tv_sec: Int(milliseconds / 1000), tv_usec: Int((milliseconds % 1000) * 1000))
    }
}
