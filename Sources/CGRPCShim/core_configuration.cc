/* gRPC-core's plugin list, cut down to what a client of one Temporal frontend uses.
 *
 * grpc_init builds its configuration by calling grpc_core::BuildCoreConfiguration. Upstream's
 * (grpc_plugin_registry.cc) also registers xDS, RLS, grpclb, ring-hash and the other policies a
 * service mesh needs. In the static release link this definition takes its place, so none of those
 * objects are linked in (2 MB less code), and none of their code runs or stays resident at start-up.
 * Debug builds link the shared libgrpc, whose call binds to this definition too, so the tests run
 * the same configuration.
 *
 * What stays: HTTP CONNECT proxies, TCP connect, pick_first and round_robin, the client channel and its
 * filters, the security handshakers (insecure and TLS), the c-ares, native and ipv4:/unix: resolvers.
 * The list follows Debian bookworm's gRPC 1.51 (`nm -C libgrpc.a`, member grpc_plugin_registry.cc.o);
 * libgrpc-dev ships no internal headers, hence the declarations below. A gRPC release that renames one
 * of these functions fails the release link, naming it.
 *
 * It also turns off abseil's mutex deadlock detector: Debian builds abseil without NDEBUG, so every
 * gRPC-core lock otherwise updates a lock-order graph (about 2 % of the worker's instructions per order). */
#include <absl/synchronization/mutex.h>

namespace grpc_core {
class CoreConfiguration {
  public:
    class Builder;
};
using Builder = CoreConfiguration::Builder;

void RegisterHttpConnectHandshaker(Builder *builder);
void RegisterTCPConnectHandshaker(Builder *builder);
void RegisterPickFirstLbPolicy(Builder *builder);
void RegisterRoundRobinLbPolicy(Builder *builder);
void BuildClientChannelConfiguration(Builder *builder);
void SecurityRegisterHandshakerFactories(Builder *builder);
void RegisterClientAuthorityFilter(Builder *builder);
void RegisterChannelIdleFilters(Builder *builder);
void RegisterDeadlineFilter(Builder *builder);
void RegisterHttpFilters(Builder *builder);
void RegisterMessageSizeFilter(Builder *builder);
void RegisterServiceConfigChannelArgFilter(Builder *builder);
void RegisterResourceQuota(Builder *builder);
void RegisterAresDnsResolver(Builder *builder);
void RegisterNativeDnsResolver(Builder *builder);
void RegisterSockaddrResolver(Builder *builder);
void RegisterHttpProxyMapper(Builder *builder);
void RegisterBuiltins(Builder *builder);
}  // namespace grpc_core

namespace grpc_event_engine {
namespace experimental {
void RegisterEventEngineChannelArgPreconditioning(grpc_core::Builder *builder);
}  // namespace experimental
}  // namespace grpc_event_engine

namespace grpc_core {
/* Upstream's order, less what is left out: the TCP connect handshaker registers after the HTTP CONNECT
 * one so that it runs first, and the built-ins come last. */
void BuildCoreConfiguration(Builder *builder) {
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    grpc_event_engine::experimental::RegisterEventEngineChannelArgPreconditioning(builder);
    RegisterHttpConnectHandshaker(builder);
    RegisterTCPConnectHandshaker(builder);
    RegisterPickFirstLbPolicy(builder);
    RegisterRoundRobinLbPolicy(builder);
    BuildClientChannelConfiguration(builder);
    SecurityRegisterHandshakerFactories(builder);
    RegisterClientAuthorityFilter(builder);
    RegisterChannelIdleFilters(builder);
    RegisterDeadlineFilter(builder);
    RegisterHttpFilters(builder);
    RegisterMessageSizeFilter(builder);
    RegisterServiceConfigChannelArgFilter(builder);
    RegisterResourceQuota(builder);
    RegisterAresDnsResolver(builder);
    RegisterNativeDnsResolver(builder);
    RegisterSockaddrResolver(builder);
    RegisterHttpProxyMapper(builder);
    RegisterBuiltins(builder);
}
}  // namespace grpc_core
