import Logging
import Synchronization

/// Bootstraps swift-log once per process (LoggingSystem.bootstrap may only run once), writing
/// to standard error at the configured level.
enum LoggingSetup {
    private static let done = Mutex(false)

    static func bootstrap(level: Logger.Level) {
        let first = done.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static func logger(_ label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}
