import Hummingbird
import NIOCore
import NIOPosix

/// Hand-written because Hummingbird has nothing like it: its handlers run on the global executor.
///
/// Runs each request on its connection's event loop, awaits included.
///
/// Swift concurrency's global executor is NIO's event loop group (see main.swift), but a task resumed
/// from another thread — gRPC-core's completion queue, a PostgreSQL connection thread — lands on whichever
/// loop comes next, and the response then hops back to the connection's loop: two thread wake-ups where
/// one does. With the connection's loop as the request's task executor, the resumption goes straight there.
struct EventLoopAffinityMiddleware: RouterMiddleware {
    typealias Context = OrderAPIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let executor = EventLoopTaskExecutor.singletonGroup[ObjectIdentifier(context.eventLoop)] else {
            return try await next(request, context)
        }
        return try await withTaskExecutorPreference(executor) { try await next(request, context) }
    }
}

/// A `TaskExecutor` that runs jobs on one event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// One executor per loop of the group Hummingbird serves from (other loops, e.g. in tests, get none).
    static let singletonGroup: [ObjectIdentifier: EventLoopTaskExecutor] = Dictionary(
        uniqueKeysWithValues: MultiThreadedEventLoopGroup.singleton.makeIterator().map {
            (ObjectIdentifier($0), EventLoopTaskExecutor($0))
        })
}
