import Foundation
import OrderCore
import TemporalBridge
import TestSupport
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

    @Test func keepsEveryThreadOnTheCPUsOfWorkerCPUs() async throws {
        let binary = try await WorkerProcess.binary()
        let cpu = try #require(Self.cpusAllowed(in: "/proc/self/status")?.cpus.last)
        let worker = try WorkerProcess(
            binary: binary,
            environment: ["WORKER_CPUS": "\(cpu)", "TEMPORAL_TASK_QUEUE": WorkerTestDatabase.uniqueId("wtest-cpus")])
        #expect(await worker.waitForLog("worker started", timeout: .seconds(30)), "log: \(worker.log)")
        let task = "/proc/\(worker.process.processIdentifier)/task"
        let threads = try FileManager.default.contentsOfDirectory(atPath: task)
        #expect(threads.count > 5, "the pool, gRPC's and the database's threads, not only the main one")
        for thread in threads {
            #expect(Self.cpusAllowed(in: "\(task)/\(thread)/status")?.cpus == [cpu], "thread \(thread)")
        }
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(30)) == 0)
    }

    @Test func refusesCPUsItMayNotUse() async throws {
        let binary = try await WorkerProcess.binary()
        let worker = try WorkerProcess(binary: binary, environment: ["WORKER_CPUS": "1023"])
        let status = await worker.waitForExit(timeout: .seconds(30))
        #expect(status != nil && status != 0)
        #expect(worker.log.contains("WORKER_CPUS=1023: cannot keep the worker's threads there"), "log: \(worker.log)")
        // The worker inherits this process's CPUs and names them, in the list form.
        let allowed = try #require(Self.cpusAllowed(in: "/proc/self/status"))
        #expect(worker.log.contains("this process may use CPUs \(allowed): choose among them"), "log: \(worker.log)")
    }

    /// `Cpus_allowed_list` of a `/proc` status file.
    private static func cpusAllowed(in statusFile: String) -> CPUList? {
        guard let status = try? String(contentsOfFile: statusFile, encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") })
        else { return nil }
        return CPUList(parsing: line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces))
    }

    @Test func stopsAtOnceWhenTheNamespaceDoesNotExist() async throws {
        let binary = try await WorkerProcess.binary()
        let started = ContinuousClock.now
        let worker = try WorkerProcess(
            binary: binary, arguments: ["run", "--startup-timeout", "60"],
            environment: [
                "TEMPORAL_NAMESPACE": "does-not-exist",
                "TEMPORAL_TASK_QUEUE": WorkerTestDatabase.uniqueId("wtest-namespace"),
            ])
        let status = await worker.waitForExit(timeout: .seconds(30))
        #expect(status != nil && status != 0, "log: \(worker.log)")
        #expect(ContinuousClock.now - started < .seconds(20), "it waited instead of stopping")
        let lines = worker.log.split(separator: "\n").filter {
            $0.contains("namespace \"does-not-exist\" does not exist")
        }
        #expect(lines.count == 1, "log: \(worker.log)")
        #expect(lines.first?.contains("TEMPORAL_NAMESPACE") == true)
        #expect(!worker.log.contains("waiting for Temporal"))
    }

    /// PAYMENT_DELAY_MS past the 10 s start-to-close: the worker's own deadline stops the payment,
    /// and nothing it sends afterwards is refused as malformed (INVALID_ARGUMENT "Failure must have
    /// ApplicationFailureInfo").
    @Test func slowPaymentIsTimedOutWithoutMalformedFailures() async throws {
        let binary = try await WorkerProcess.binary()
        let queue = WorkerTestDatabase.uniqueId("wtest-slowpay")
        let worker = try WorkerProcess(
            binary: binary,
            environment: [
                "TEMPORAL_TASK_QUEUE": queue, "PAYMENT_DELAY_MS": "60000", "ACTIVITY_MAX_ATTEMPTS": "1",
                "ACTIVITY_INITIAL_INTERVAL_MS": "100",
            ])
        #expect(await worker.waitForLog("worker started", timeout: .seconds(30)), "log: \(worker.log)")
        let pool = try await WorkerTestDatabase.pool()
        defer { Task { await pool.close() } }
        let product = try await WorkerTestDatabase.makeProduct(pool, stock: 5)
        let orderId = WorkerTestDatabase.uniqueId("wt-slowpay")
        let config = try OrderFlowConfig(environment: ProcessInfo.processInfo.environment)
        let connection = try TemporalConnection(options: OrderWorkerAssembly.connectionOptions(config.temporal))
        let client = WorkflowClient(connection: connection)
        let handle = try await client.start(
            workflowType: OrderWorkflowContract.workflowType, id: orderId, taskQueue: queue,
            args: [WorkerTestDatabase.input(orderId: orderId, productId: product, quantity: 1)])
        do {
            let result = try await client.result(handle, as: OrderWorkflowResult.self)
            Issue.record("a payment slower than its timeout completed: \(result)")
        } catch let failed as WorkflowFailedError {
            #expect(failed.applicationFailureType == "Timeout", "\(failed.failure)")
        }
        // Give a late report the time to reach the log.
        try await Task.sleep(for: .seconds(1))
        worker.signal(SIGTERM)
        _ = await worker.waitForExit(timeout: .seconds(30))
        #expect(worker.log.contains("ProcessPayment"), "log: \(worker.log)")
        #expect(!worker.log.contains("INVALID_ARGUMENT"), "log: \(worker.log)")
        #expect(!worker.log.contains("ApplicationFailureInfo"), "log: \(worker.log)")
    }
}
