import NIOCore
import NIOPosix

// Swift concurrency's global executor becomes NIO's event loops (it must be installed before any task runs):
// a request's handler, its awaits and its response then share the same few threads instead of hopping between
// the cooperative pool and the event loops.
NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

// From top-level code `await OrderAPICommand.main()` picks ParsableCommand's synchronous main, which only
// prints the help of an async command; inside an async function the async main is chosen.
func runCommand() async { await OrderAPICommand.main() }
await runCommand()
