import Logging

extension Logger {
    /// This logger with `metadata` added, kept beside the handler's own metadata and merged into a line
    /// only when one is logged. swift-log's StreamLogHandler formats all of its metadata again whenever it
    /// changes: setting the activity's or workflow task's metadata on it cost 6 % of the worker's
    /// instructions per order, for loggers that mostly log nothing.
    func adding(_ metadata: Logger.Metadata) -> Logger {
        var logger = self
        if var handler = logger.handler as? AddedMetadataLogHandler {
            handler.added.merge(metadata) { _, new in new }
            logger.handler = handler
        } else {
            logger.handler = AddedMetadataLogHandler(wrapping: logger.handler, added: metadata)
        }
        return logger
    }
}

/// Adds metadata to each line it passes on, below the line's own; see `Logger.adding(_:)`.
struct AddedMetadataLogHandler: LogHandler {
    private var upstream: any LogHandler
    fileprivate var added: Logger.Metadata

    init(wrapping upstream: any LogHandler, added: Logger.Metadata) {
        self.upstream = upstream
        self.added = added
    }

    var metadata: Logger.Metadata {
        get { upstream.metadata.merging(added) { _, added in added } }
        set {
            added = [:]
            upstream.metadata = newValue
        }
    }

    var logLevel: Logger.Level {
        get { upstream.logLevel }
        set { upstream.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { added[key] ?? upstream[metadataKey: key] }
        set {
            added[key] = newValue
            if newValue == nil, upstream[metadataKey: key] != nil { upstream[metadataKey: key] = nil }
        }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata = added.merging(event.metadata ?? [:]) { _, own in own }
        upstream.log(event: event)
    }
}
