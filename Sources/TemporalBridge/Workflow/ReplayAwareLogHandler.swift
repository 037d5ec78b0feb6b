import Logging

/// A log handler that drops workflow log lines while the run replays history, so each line is
/// logged once, when the code first runs.
struct ReplayAwareLogHandler: LogHandler {
    private var upstream: any LogHandler
    private let flag: ReplayFlag

    init(wrapping upstream: any LogHandler, flag: ReplayFlag) {
        self.upstream = upstream
        self.flag = flag
    }

    var metadata: Logger.Metadata {
        get { upstream.metadata }
        set { upstream.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { upstream.logLevel }
        set { upstream.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { upstream[metadataKey: key] }
        set { upstream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        guard !flag.isReplaying else { return }
        upstream.log(event: event)
    }
}
