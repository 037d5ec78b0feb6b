import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's basics plus the peer address, which
/// the rate limiter uses to tell clients apart, and the connection's event loop.
public struct OrderAPIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// nil when there is no socket (in-process router tests).
    public let remoteAddress: SocketAddress?
    let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        eventLoop = source.channel.eventLoop
    }
}
