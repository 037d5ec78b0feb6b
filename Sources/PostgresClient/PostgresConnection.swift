import CLibPQ
import Foundation
import Logging
import ThreadConfinement

#if canImport(Glibc)
    import Glibc
#endif

/// Commands sent in the same round trip as a statement: BEGIN before it, COMMIT after it.
struct StatementFraming: OptionSet {
    let rawValue: Int
    static let begin = StatementFraming(rawValue: 1)
    static let commit = StatementFraming(rawValue: 2)
}

/// The rows and affected-row count of one statement.
struct PostgresQueryResult: Sendable {
    var rows: [PostgresRow]
    var affectedRows: Int
}

/// One libpq connection, opened lazily and reopened after it breaks. Thread-confined: only the
/// `ConnectionWorker` thread that owns it ever touches it, so libpq's blocking calls never run
/// on Swift's cooperative pool.
final class PostgresConnection: ThreadOwnedConnection {
    private let configuration: PostgresConfiguration
    private let logger: Logger
    private let label: String
    private var handle: OpaquePointer?
    /// Counts the connections opened so far; a transaction pins the one it began on so that a
    /// reconnect in the middle can never silently continue its statements in autocommit mode.
    private(set) var generation = 0
    /// The statements prepared on the current connection, by their SQL: every statement of this package is fixed
    /// text with parameters, so each is parsed and planned once per connection instead of on every call.
    private var preparedStatements: [String: String] = [:]
    private var lastStatementNumber = 0
    /// Beyond this many distinct statements the rest run unprepared, so a caller building SQL can never grow
    /// the server's memory without bound.
    static let maxPreparedStatements = 200
    /// True inside a transaction whose statements run without timeouts (`liftTimeouts`).
    private var timeoutsLifted = false
    private var limits: PostgresConfiguration.Limits { configuration.limits }

    init(configuration: PostgresConfiguration, label: String, logger: Logger) {
        self.configuration = configuration
        self.label = label
        self.logger = logger
    }

    deinit { drop(reason: nil) }

    /// Makes sure there is a healthy connection, opening a fresh one if there is none or the old
    /// one went away while idle (server restart, `pg_terminate_backend`).
    func ensureOpen() throws(PostgresError) {
        if let handle {
            if PQstatus(handle) == CONNECTION_OK, !hasUnexpectedInput(handle) { return }
            drop(reason: "connection lost while idle")
        }
        try open()
    }

    /// Runs one parameterised statement (prepared on first use, then `PQexecPrepared`; text-format parameters
    /// and results). With `pinnedTo`, the statement runs only on that very connection (inside a transaction).
    /// `framing` sends BEGIN before it and/or COMMIT after it in the same round trip (see `runPipelined`).
    func execute(
        _ sql: String, _ params: [PostgresBind], pinnedTo pinned: Int? = nil, framing: StatementFraming = []
    ) throws(PostgresError) -> PostgresQueryResult {
        try prepare(pinnedTo: pinned)
        guard let handle else { throw PostgresError(kind: .connection, message: "not connected") }
        for (index, param) in params.enumerated() where param.text.map(containsNUL) == true {
            throw PostgresError(
                kind: .query, sqlState: "22021",
                message: "parameter $\(index + 1) contains a NUL character")
        }
        do {
            return try run(sql, params, handle: handle, framing: framing)
        } catch let error where error.sqlState == Self.stalePlanState {
            // A migration changed a table under the prepared statement. It failed before doing anything, so
            // outside a transaction it runs once more, prepared afresh; inside one, the transaction is lost.
            preparedStatements[sql] = nil
            guard pinned == nil else { throw error }
            return try run(sql, params, handle: handle, framing: framing)
        }
    }

    /// "cached plan must not change result type".
    static let stalePlanState = "0A000"

    private func run(_ sql: String, _ params: [PostgresBind], handle: OpaquePointer, framing: StatementFraming)
        throws(PostgresError) -> PostgresQueryResult
    {
        let statement = try preparedStatement(for: sql, parameterCount: params.count, handle: handle)
        if !framing.isEmpty { return try runPipelined(sql, statement, params, framing: framing, handle: handle) }
        let sent = send(sql, statement, params, handle: handle)
        return try consume(try answer(toSent: sent, handle: handle), handle: handle)
    }

    private func send(_ sql: String, _ statement: String?, _ params: [PostgresBind], handle: OpaquePointer) -> Int32 {
        withCStrings(params.map(\.text)) { values in
            if let statement {
                PQsendQueryPrepared(handle, statement, Int32(values.count), values.baseAddress, nil, nil, 0)
            } else {
                PQsendQueryParams(handle, sql, Int32(values.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
    }

    /// The statement framed by BEGIN and/or COMMIT in one round trip, through libpq's pipeline mode: all are sent
    /// with one sync, and after a failure the server skips the rest (a failed statement is not committed). A
    /// transaction's BEGIN and COMMIT then cost no round trips of their own: of the 30 an order made, 10 were
    /// theirs (strace of the worker as shipped: 30 → 20 per order). A connection left in doubt is dropped.
    private func runPipelined(
        _ sql: String, _ statement: String?, _ params: [PostgresBind], framing: StatementFraming,
        handle: OpaquePointer
    ) throws(PostgresError) -> PostgresQueryResult {
        let statementIndex = framing.contains(.begin) ? 1 : 0
        let commands = statementIndex + 1 + (framing.contains(.commit) ? 1 : 0)
        guard PQenterPipelineMode(handle) == 1,
            !framing.contains(.begin) || PQsendQueryParams(handle, "BEGIN", 0, nil, nil, nil, nil, 0) == 1,
            send(sql, statement, params, handle: handle) == 1,
            !framing.contains(.commit) || PQsendQueryParams(handle, "COMMIT", 0, nil, nil, nil, nil, 0) == 1,
            PQpipelineSync(handle) == 1
        else { throw brokenPipeline(handle) }
        // Each command's results end with a null result; the sync's own comes last.
        var results: [OpaquePointer?] = []
        defer { for case let result? in results { PQclear(result) } }
        for _ in 0...commands { results.append(try answer(toSent: 1, handle: handle)) }
        guard let sync = results[commands], PQresultStatus(sync) == PGRES_PIPELINE_SYNC,
            PQexitPipelineMode(handle) == 1
        else { throw brokenPipeline(handle) }
        // In order: a failed BEGIN or statement is the error to report, not the commands the server then skipped.
        let decoded = try results[..<commands].map { result throws(PostgresError) in
            try decode(result, handle: handle)
        }
        return decoded[statementIndex]
    }

    /// A pipeline libpq refused or the server left unfinished: the connection's state is unknown, so it goes.
    private func brokenPipeline(_ handle: OpaquePointer) -> PostgresError {
        let message = Self.trimmed(PQerrorMessage(handle))
        let error = PostgresError(kind: .connection, message: message.isEmpty ? "pipeline failed" : message)
        drop(reason: error.message)
        return error
    }

    /// The name of `sql` prepared on this connection, preparing it first if needed (nil past the limit).
    private func preparedStatement(for sql: String, parameterCount: Int, handle: OpaquePointer) throws(PostgresError)
        -> String?
    {
        if let name = preparedStatements[sql] { return name }
        guard preparedStatements.count < Self.maxPreparedStatements else { return nil }
        lastStatementNumber += 1
        let name = "statement_\(lastStatementNumber)"
        let sent = PQsendPrepare(handle, name, sql, Int32(parameterCount), nil)
        _ = try consume(try answer(toSent: sent, handle: handle), handle: handle)
        preparedStatements[sql] = name
        return name
    }

    /// Runs a fixed multi-statement script with the simple protocol (`PQexec`). Only for the
    /// migration files shipped with the package; it takes no parameters by design.
    func executeScript(_ sql: String, pinnedTo pinned: Int? = nil) throws(PostgresError) {
        try prepare(pinnedTo: pinned)
        guard let handle else { throw PostgresError(kind: .connection, message: "not connected") }
        _ = try consume(try answer(toSent: PQsendQuery(handle, sql), handle: handle), handle: handle)
    }

    /// Runs `SET LOCAL statement_timeout = 0` and `SET LOCAL lock_timeout = 0` in the transaction pinned to
    /// `pinned`, and waits for its statements' answers without a client deadline until the transaction ends.
    /// For migrations: a schema change takes what it takes, and a second migrator waits for the first's lock.
    func liftTimeouts(pinnedTo pinned: Int) throws(PostgresError) {
        _ = try execute("SET LOCAL statement_timeout = 0", [], pinnedTo: pinned)
        _ = try execute("SET LOCAL lock_timeout = 0", [], pinnedTo: pinned)
        timeoutsLifted = true
    }

    /// Called when a transaction ends (COMMIT or ROLLBACK): `SET LOCAL` ended with it.
    func transactionEnded() {
        timeoutsLifted = false
    }

    /// Closes the connection (if any) so the next statement opens a fresh one.
    func drop(reason: String?) {
        guard let handle else { return }
        if let reason {
            logger.warning(
                "dropping PostgreSQL connection", metadata: ["connection": "\(label)", "reason": "\(reason)"])
        }
        PQfinish(handle)
        self.handle = nil
    }

    var isOpen: Bool { handle != nil }

    /// The connection's socket descriptor, -1 when closed (diagnostics and tests).
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    private func prepare(pinnedTo pinned: Int?) throws(PostgresError) {
        guard let pinned else { return try ensureOpen() }
        guard handle != nil, generation == pinned else {
            throw PostgresError(kind: .connection, message: "the connection of this transaction was lost")
        }
    }

    // MARK: - private

    private func open() throws(PostgresError) {
        var parameters: [(String, String)] = [
            ("host", configuration.host),
            ("port", String(configuration.port)),
            ("user", configuration.user),
            ("password", configuration.password),
            ("dbname", configuration.database),
            ("connect_timeout", String(limits.connectTimeoutSeconds)),
            ("application_name", configuration.applicationName),
            ("client_encoding", "UTF8"),
            // Row decoding relies on ISO timestamps in UTC. The server-side bounds apply to every statement.
            (
                "options",
                "-c DateStyle=ISO -c TimeZone=UTC -c statement_timeout=\(Self.milliseconds(limits.statementTimeout))"
                    + " -c lock_timeout=\(Self.milliseconds(limits.lockTimeout))"
            ),
            // A dead peer or a black-holed network breaks the connection within seconds, not the
            // system default of about two hours of idle time plus eleven minutes of probes.
            ("keepalives", "1"),
            ("keepalives_idle", String(limits.keepalivesIdleSeconds)),
            ("keepalives_interval", String(limits.keepalivesIntervalSeconds)),
            ("keepalives_count", String(limits.keepalivesCount)),
            ("tcp_user_timeout", String(Self.milliseconds(limits.tcpUserTimeout))),
        ]
        parameters += Self.gssEncryptionOff
        let connection = withCStrings(parameters.map(\.0) + [nil]) { keywords in
            withCStrings(parameters.map(\.1) + [nil]) { values in
                PQconnectdbParams(keywords.baseAddress, values.baseAddress, 0)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connection, message: message.isEmpty ? "connection failed" : message)
        }
        // Server notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        generation += 1
        preparedStatements = [:]
        timeoutsLifted = false
        logger.debug(
            "opened PostgreSQL connection",
            metadata: ["connection": "\(label)", "host": "\(configuration.host):\(configuration.port)"])
    }

    /// Waits for the answer to what a `PQsend*` call sent and returns its result (the last one of a multi-statement
    /// script; a failing statement ends a script, so an error result is the last). The wait is bounded by the
    /// statement timeout plus a grace period: a server that is frozen, or a network that black-holes the
    /// connection, cannot enforce its own `statement_timeout`. Past the bound the connection is dropped (the server
    /// rolls back whatever it was doing once it notices) and a transient connection error is thrown.
    private func answer(toSent sent: Int32, handle: OpaquePointer) throws(PostgresError) -> OpaquePointer? {
        guard sent == 1 else { return nil }
        let bound = timeoutsLifted ? nil : limits.answerTimeout
        let deadline = bound.map { ContinuousClock.now + $0 }
        var last: OpaquePointer?
        while true {
            while PQisBusy(handle) != 0 {
                do {
                    try waitForInput(handle, until: deadline)
                } catch {
                    if let last { PQclear(last) }
                    throw error
                }
                guard PQconsumeInput(handle) == 1 else {
                    if let last { PQclear(last) }
                    return nil
                }
            }
            guard let result = PQgetResult(handle) else { return last }
            if let last { PQclear(last) }
            last = result
        }
    }

    private func waitForInput(_ handle: OpaquePointer, until deadline: ContinuousClock.Instant?) throws(PostgresError) {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return }
        while true {
            var timeoutMs: Int32 = -1
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero else { throw answerTimedOut() }
                timeoutMs = Int32(clamping: max(1, Self.milliseconds(left)))
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, timeoutMs)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { return }  // PQconsumeInput then reports what is wrong
        }
    }

    private func answerTimedOut() -> PostgresError {
        let bound = limits.answerTimeout ?? .zero
        let message =
            "PostgreSQL did not answer within \(Self.milliseconds(bound)) ms (statement_timeout "
            + "\(Self.milliseconds(limits.statementTimeout)) ms + "
            + "\(Self.milliseconds(PostgresConfiguration.Limits.answerGrace)) ms); "
            + "the connection was dropped (server frozen or network down?)"
        drop(reason: message)
        return PostgresError(kind: .connection, message: message)
    }

    /// libpq's default, `gssencmode=prefer`, starts Kerberos to look for credentials on every connect: ~0.7 MiB of
    /// resident memory per process where there are none. Kerberos sites say so in libpq's own `PGGSSENCMODE`,
    /// which is then honoured, as libpq's other variables are.
    private static let gssEncryptionOff: [(String, String)] =
        ProcessInfo.processInfo.environment["PGGSSENCMODE"] == nil ? [("gssencmode", "disable")] : []

    /// A connection we are not using should have nothing to read. The server writes to an idle
    /// connection when it terminates it (restart, `pg_terminate_backend`) and then closes it, so
    /// readable input here means the connection is gone (a NOTIFY would be the only other cause,
    /// and this layer never LISTENs).
    private func hasUnexpectedInput(_ handle: OpaquePointer) -> Bool {
        let socket = PQsocket(handle)
        guard socket >= 0 else { return true }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        if ready < 0 { return false }
        return ready > 0
    }

    /// `decode`, then frees the result.
    private func consume(_ result: OpaquePointer?, handle: OpaquePointer) throws(PostgresError) -> PostgresQueryResult {
        defer { if let result { PQclear(result) } }
        return try decode(result, handle: handle)
    }

    /// The rows of a result, or its error (a missing result: the connection failed, and is dropped).
    private func decode(_ result: OpaquePointer?, handle: OpaquePointer) throws(PostgresError) -> PostgresQueryResult {
        guard let result else {
            let error = PostgresError(kind: .connection, message: Self.trimmed(PQerrorMessage(handle)))
            drop(reason: error.message)
            throw error
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            let error = makeError(result, handle: handle)
            if error.breaksConnection || PQstatus(handle) != CONNECTION_OK { drop(reason: error.message) }
            throw error
        }
        return PostgresQueryResult(
            rows: Self.rows(of: result), affectedRows: Int(Self.string(PQcmdTuples(result))) ?? 0)
    }

    private func makeError(_ result: OpaquePointer, handle: OpaquePointer) -> PostgresError {
        let sqlState = PQresultErrorField(result, Self.diagnosticSQLState).map { String(cString: $0) }
        var message =
            PQresultErrorField(result, Self.diagnosticMessage).map { String(cString: $0) }
            ?? Self.trimmed(PQresultErrorMessage(result))
        if message.isEmpty { message = Self.trimmed(PQerrorMessage(handle)) }
        if let detail = PQresultErrorField(result, Self.diagnosticDetail).map({ String(cString: $0) }) {
            message += " (\(detail))"
        }
        let broken = PQstatus(handle) != CONNECTION_OK
        let kind: PostgresError.Kind = (broken && sqlState == nil) ? .connection : .query
        return PostgresError(kind: kind, sqlState: sqlState, message: message)
    }

    private static func rows(of result: OpaquePointer) -> [PostgresRow] {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        guard rowCount > 0, columnCount > 0 else { return [] }
        var columnIndex: [String: Int] = [:]
        for column in 0..<columnCount {
            let name = string(PQfname(result, Int32(column)))
            if columnIndex[name] == nil { columnIndex[name] = column }
        }
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
                    values.append(nil)
                } else {
                    values.append(string(PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            rows.append(PostgresRow(columnIndex: columnIndex, values: values))
        }
        return rows
    }

    /// Whole milliseconds (rounded down), as the server's settings take them.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    private static let diagnosticSQLState = Int32(UInt8(ascii: "C"))  // PG_DIAG_SQLSTATE
    private static let diagnosticMessage = Int32(UInt8(ascii: "M"))  // PG_DIAG_MESSAGE_PRIMARY
    private static let diagnosticDetail = Int32(UInt8(ascii: "D"))  // PG_DIAG_MESSAGE_DETAIL

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func trimmed(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        string(pointer).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Calls `body` with NUL-terminated C copies of `strings` (nil entries stay NULL) that live for the call. The
/// copies share one temporary buffer (on the stack when small): a copy per string, through `utf8CString` or
/// `strdup`, cost ~1,300 instructions per statement in allocations alone.
private func withCStrings<R>(_ strings: [String?], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
    let size = strings.reduce(0) { $0 + ($1.map { $0.utf8.count + 1 } ?? 0) }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: max(size, 1)) { buffer in
        withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: max(strings.count, 1)) { pointers in
            var next = buffer.baseAddress!
            for (index, string) in strings.enumerated() {
                guard let string else {
                    pointers[index] = nil
                    continue
                }
                let count = UnsafeMutableBufferPointer(start: next, count: string.utf8.count)
                    .withMemoryRebound(to: UInt8.self) { $0.initialize(fromContentsOf: string.utf8) }
                next[count] = 0
                pointers[index] = UnsafePointer(next)
                next += count + 1
            }
            return body(UnsafeBufferPointer(rebasing: pointers[..<strings.count]))
        }
    }
}

/// Whether `text` holds a NUL character, which a C string parameter cannot carry.
private func containsNUL(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { $0.contains(0) } ?? text.utf8.contains(0)
}
