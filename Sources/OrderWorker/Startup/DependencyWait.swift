import Logging

/// Waits, boundedly, for a dependency (PostgreSQL, Temporal) to answer, logging progress so an
/// operator sees what the process is waiting for.
struct DependencyWait {
    let name: String
    let target: String
    let timeout: Duration
    var interval: Duration = .seconds(2)
    let logger: Logger
    /// Says why an error can never go away by waiting (nil: keep waiting), e.g. a namespace that
    /// does not exist; such an error ends the wait at once with `DependencyRefused`.
    var fatal: (any Error) -> String? = { _ in nil }

    /// Runs `probe` until it succeeds or `timeout` has passed; then throws `DependencyUnreachable`.
    func wait(_ probe: () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await probe()
                if attempt > 1 {
                    logger.info("\(name) is reachable", metadata: ["target": "\(target)", "attempts": "\(attempt)"])
                }
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if let reason = fatal(error) { throw DependencyRefused(name: name, target: target, reason: reason) }
                let remaining = clock.now.duration(to: deadline)
                guard remaining > .zero else {
                    throw DependencyUnreachable(name: name, target: target, timeout: timeout, lastError: "\(error)")
                }
                logger.notice(
                    "waiting for \(name)",
                    metadata: ["target": "\(target)", "attempt": "\(attempt)", "error": "\(error)"])
                try await Task.sleep(for: min(interval, remaining))
            }
        }
    }
}

/// A dependency stayed unreachable for the whole startup wait.
struct DependencyUnreachable: Error, CustomStringConvertible {
    let name: String
    let target: String
    let timeout: Duration
    let lastError: String

    var description: String {
        "\(name) at \(target) is unreachable after waiting \(timeout): \(lastError)"
    }
}

/// A dependency answered, but with something waiting cannot fix (wrong namespace, bad credentials).
struct DependencyRefused: Error, CustomStringConvertible {
    let name: String
    let target: String
    let reason: String

    var description: String { "\(name) at \(target): \(reason)" }
}
