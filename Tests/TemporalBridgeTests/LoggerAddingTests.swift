import Logging
import Testing

@testable import TemporalBridge

/// `Logger.adding(_:)` keeps added metadata beside the handler's and merges it into each line, as setting it on
/// the handler did: the line's own metadata first, then the added, then the handler's.
@Suite("Logger.adding")
struct LoggerAddingTests {
    @Test("added metadata reaches each line, under the line's own and over the handler's")
    func merges() throws {
        let log = CapturedLog()
        var base = log.logger
        base[metadataKey: "queue"] = "q"
        base[metadataKey: "run_id"] = "old"
        let logger = base.adding(["run_id": "r1", "workflow_id": "w1"]).adding(["attempt": "2"])
        logger.info("one", metadata: ["attempt": "3"])
        logger.debug("below the level")
        let line = try #require(log.metadata.first)
        #expect(log.metadata.count == 1)
        #expect(line == ["queue": "q", "run_id": "r1", "workflow_id": "w1", "attempt": "3"])
        #expect(logger[metadataKey: "workflow_id"] == "w1")
        #expect(logger.handler.metadata == ["queue": "q", "run_id": "r1", "workflow_id": "w1", "attempt": "2"])
        #expect(base[metadataKey: "workflow_id"] == nil, "the logger it came from is unchanged")
    }

    @Test("a key set or removed afterwards wins over both")
    func laterChanges() throws {
        let log = CapturedLog()
        var base = log.logger
        base[metadataKey: "queue"] = "q"
        var logger = base.adding(["workflow_id": "w1"])
        logger[metadataKey: "workflow_id"] = "w2"
        logger[metadataKey: "queue"] = nil
        logger.info("two")
        #expect(try #require(log.metadata.first) == ["workflow_id": "w2"])
    }
}
