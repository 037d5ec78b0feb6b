import OrderCore
import RedisClient
import Synchronization

/// Token buckets in Redis, one hash per client, updated by one Lua script so that every API
/// replica shares the same count atomically. The script reads Redis' own clock (`TIME`), so
/// replicas with skewed clocks still agree. An idle bucket expires once it would be full again.
public final class RedisRateLimiter: RateLimiter {
    public let settings: RateLimitSettings
    private let client: RedisClient
    private let keyPrefix: String
    /// SHA1 of the script as Redis reported it on `SCRIPT LOAD`; nil until first use.
    private let scriptSHA = Mutex<String?>(nil)

    public init(client: RedisClient, settings: RateLimitSettings, keyPrefix: String = "orderflow:ratelimit:orders:") {
        self.client = client
        self.settings = settings
        self.keyPrefix = keyPrefix
    }

    /// Throws `RedisError` when Redis cannot answer; the caller decides whether to fail open.
    public func acquire(client clientId: String) async throws -> RateLimitDecision {
        let arguments: [RedisArgument] = [
            "1", .string(keyPrefix + clientId), .string(String(settings.refillPerSecond)), .integer(settings.burst),
        ]
        let sha = try await loadedScriptSHA()
        let reply: RedisReply
        do {
            reply = try await client.send(["EVALSHA", .string(sha)] + arguments)
        } catch {
            // Redis restarted, or flushed its scripts, since the script was loaded (even just now): EVAL sends it
            // again, and Redis caches it under the same SHA.
            guard error.code == "NOSCRIPT" else { throw error }
            reply = try await client.send(["EVAL", .string(Self.script)] + arguments)
        }
        return try Self.decision(reply)
    }

    /// The script's SHA1, as Redis reported it on the first `SCRIPT LOAD`.
    private func loadedScriptSHA() async throws -> String {
        if let sha = scriptSHA.withLock({ $0 }) { return sha }
        let loaded = try await client.send(["SCRIPT", "LOAD", .string(Self.script)])
        guard let sha = loaded.string else {
            throw RedisError(kind: .unexpectedReply, message: "SCRIPT LOAD answered \(loaded)")
        }
        scriptSHA.withLock { $0 = sha }
        return sha
    }

    static func decision(_ reply: RedisReply) throws(RedisError) -> RateLimitDecision {
        guard let values = reply.array?.compactMap(\.integer), values.count == 3 else {
            throw RedisError(kind: .unexpectedReply, message: "the rate-limit script answered \(reply)")
        }
        return RateLimitDecision(
            allowed: values[0] == 1, remaining: Int(values[1]), retryAfter: .microseconds(values[2]))
    }

    /// KEYS[1] the bucket; ARGV[1] tokens per second, ARGV[2] burst. Returns
    /// {allowed 0|1, whole tokens left, microseconds until the next token when refused}.
    static let script = """
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000000)
        local allowed = 0
        local wait = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        else
          wait = math.ceil((1 - tokens) * 1000000 / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%d', now))
        redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate * 1000) + 1000)
        return {allowed, math.floor(tokens), wait}
        """
}
