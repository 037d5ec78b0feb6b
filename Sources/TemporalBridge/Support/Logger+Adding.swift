import Logging

extension Logger {
    /// This logger with `metadata` added in one change of its handler's metadata. swift-log's StreamLogHandler
    /// formats all of its metadata again on every change, so one `logger[metadataKey:]` per entry paid that
    /// once per entry: 6 % of the worker's instructions per order, for the loggers of each activity and
    /// workflow task.
    func adding(_ metadata: Logger.Metadata) -> Logger {
        var logger = self
        logger.handler.metadata.merge(metadata) { _, new in new }
        return logger
    }
}
