import NIOCore
import NIOPosix

// Swift concurrency's global executor becomes NIO's event loops (it must be installed before any task runs):
// a request's handler, its awaits and its response then share the same few threads instead of hopping between
// the cooperative pool and the event loops.
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

func runCommand() async { await OrderAPICommand.main() }
await runCommand()
