import Foundation
import OrderCore
import Testing

@testable import OrderWorker

/// The `order-worker` executable as an operator meets it.
@Suite("order-worker executable", .serialized)
struct OrderWorkerBinaryTests {
    @Test func helpListsEverySettingWithItsDefault() async throws {
        let binary = try await WorkerProcess.binary()
        let help = try await CommandLineTool.run([binary.path, "--help"])
        #expect(help.status == 0)
        for setting in OrderFlowConfig.settingsHelp {
            #expect(
                help.text.contains("\(setting.variable) (default: \(setting.defaultValue))"),
                "missing \(setting.variable)")
        }
        #expect(help.text.contains("migrate"))
    }

    @Test func refusesToStartWhenTemporalIsUnreachable() async throws {
        let binary = try await WorkerProcess.binary()
        let worker = try WorkerProcess(
            binary: binary, arguments: ["run", "--startup-timeout", "2"],
            environment: ["TEMPORAL_HOST_PORT": "127.0.0.1:1", "POSTGRES_PASSWORD": "orderflow123"])
        let status = await worker.waitForExit(timeout: .seconds(30))
        #expect(status != nil && status != 0)
        let log = worker.log
        #expect(log.contains("refusing to start"))
        #expect(log.contains("Temporal at 127.0.0.1:1"))
        #expect(log.contains("waiting for Temporal"))
        // The startup summary says where it connects, without the password.
        #expect(log.contains("postgres=orderflow@"))
        #expect(!log.contains("orderflow123"))
    }

    @Test func refusesToStartWhenPostgresIsUnreachable() async throws {
        let binary = try await WorkerProcess.binary()
        let worker = try WorkerProcess(
            binary: binary, arguments: ["run", "--startup-timeout", "2"], environment: ["POSTGRES_PORT": "1"])
        let status = await worker.waitForExit(timeout: .seconds(30))
        #expect(status != nil && status != 0)
        #expect(worker.log.contains("PostgreSQL at"))
        #expect(worker.log.contains("unreachable"))
    }

    @Test func migrateReportsWhatItApplied() async throws {
        let binary = try await WorkerProcess.binary()
        let output = try await CommandLineTool.run([binary.path, "migrate"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.text.contains("schema up to date") || output.text.contains("applied"))
    }

    @Test func stopsGracefullyOnSIGTERM() async throws {
        let binary = try await WorkerProcess.binary()
        let worker = try WorkerProcess(
            binary: binary, environment: ["TEMPORAL_TASK_QUEUE": WorkerTestDatabase.uniqueId("wtest-sigterm")])
        #expect(await worker.waitForLog("worker started", timeout: .seconds(30)), "log: \(worker.log)")
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(30)) == 0)
        #expect(worker.log.contains("worker stopped"))
    }
}
