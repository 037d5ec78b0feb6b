// swift-tools-version:6.2
import PackageDescription

// gRPC-core and what it brings (abseil, upb, re2, c-ares, zlib) go into the release executables as static archives
// (`pkg-config --static --libs grpc` lists them; libgrpc-dev pulls in the -dev packages that ship them): the link keeps
// only the objects used, the loader resolves none of their symbols at start-up, and the code that runs joins
// order-worker's ordered layout. An idle worker is ~2 MiB smaller than with the shared libgrpc, whose symbol tables
// alone kept 1.4 MiB resident (BENCHMARKS.md, "Orders (as shipped)"), and the image needs no gRPC package. OpenSSL
// stays shared: libpq loads it anyway. CGRPCShim's core_configuration.cc registers only the plugins a client of one
// frontend uses, so the link leaves out xDS, RLS and grpclb as well.
let grpcStaticArchives: [String] = {
    let abseil = [
        "throw_delegate", "raw_logging_internal", "raw_hash_set", "hashtablez_sampler", "hash", "city",
        "low_level_hash", "random_distributions", "random_seed_sequences", "random_internal_pool_urbg",
        "random_internal_randen", "random_internal_randen_hwaes", "random_internal_randen_hwaes_impl",
        "random_internal_randen_slow", "random_internal_platform", "random_internal_seed_material",
        "random_seed_gen_exception", "statusor", "status", "cord", "cordz_info", "cord_internal", "cordz_functions",
        "exponential_biased", "cordz_handle", "bad_optional_access", "strerror", "str_format_internal",
        "synchronization", "graphcycles_internal", "stacktrace", "symbolize", "debugging_internal",
        "demangle_internal", "malloc_internal", "time", "civil_time", "strings", "strings_internal", "base",
        "spinlock_wait", "int128", "time_zone", "bad_variant_access", "log_severity",
    ].map { "absl_" + $0 }
    let archives = ["grpc", "address_sorting", "re2", "upb", "cares", "z", "gpr"] + abseil
    // A group, so the order of the archives does not matter to GNU ld or gold either.
    let group = ["--start-group"] + archives.map { "-l:lib\($0).a" } + ["--end-group"]
    return group.flatMap { ["-Xlinker", $0] }
}()

let package = Package(
    name: "OrderFlow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "order-worker", targets: ["OrderWorker"]),
        .executable(name: "order-api", targets: ["OrderAPI"]),
        .executable(name: "orderflow-bench", targets: ["OrderFlowBench"]),
        .library(name: "TemporalBridge", targets: ["TemporalBridge"]),
        .library(name: "OrderCore", targets: ["OrderCore"]),
        .library(name: "PostgresClient", targets: ["PostgresClient"]),
        .library(name: "RedisClient", targets: ["RedisClient"]),
    ],
    // Exact versions: Package.resolved stays untracked, so these pins are what makes the image, CI and a developer
    // build the same code. Their own dependencies follow from them (`swift package show-dependencies`).
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        // Already in the graph through Hummingbird's dependencies; pinned here because the executables use its SHA256.
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        // Reads every setting (environment, command-line flags on top). No traits: JSON/YAML files and reloading
        // are not used, and Hummingbird asks for it without traits too, so one build serves both (`traits:` needs
        // tools 6.1 or later).
        .package(url: "https://github.com/apple/swift-configuration.git", exact: "1.4.0", traits: []),
    ],
    targets: [
        // The only code that touches gRPC-core: shared libraries in debug builds, the static archives (below) in
        // release builds.
        .target(
            name: "CGRPCShim",
            linkerSettings: [
                .linkedLibrary("grpc", .when(configuration: .debug)),
                .linkedLibrary("gpr", .when(configuration: .debug)),
                // core_configuration.cc turns abseil's deadlock detector off.
                .linkedLibrary("absl_synchronization", .when(configuration: .debug)),
                .unsafeFlags(grpcStaticArchives, .when(configuration: .release)),
                .linkedLibrary("ssl", .when(configuration: .release)),
                .linkedLibrary("crypto", .when(configuration: .release)),
                .linkedLibrary("stdc++", .when(configuration: .release)),
            ]
        ),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // No pkgConfig: hiredis.pc adds -D_FILE_OFFSET_BITS=64, which SwiftPM refuses with a warning on every build.
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CSched", path: "Sources/CSched"),
        // Tells GnuTLS's library constructor, in both executables, to skip its work (skip_init.c).
        .target(
            name: "CGnuTLSSkipInit",
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=_gnutls_global_init_skip"])]
        ),
        .target(
            name: "TemporalBridge",
            dependencies: [
                "CGRPCShim",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // One OS thread per blocking C connection, so libpq and hiredis never block Swift's cooperative pool.
        .target(name: "ThreadConfinement"),
        // The drivers: general clients with no order knowledge, the only callers of their C libraries.
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ", "ThreadConfinement", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "RedisClient",
            dependencies: ["CHiredis", "ThreadConfinement", .product(name: "Logging", package: "swift-log")]
        ),
        // What an order is: models, money, validation, statuses, failure types, configuration.
        .target(
            name: "OrderCore",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The SQL of orders, inventory, payments and notifications, and the schema's migrations.
        .target(
            name: "OrderStore",
            dependencies: ["OrderCore", "PostgresClient", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Migrations")]
        ),
        // The live order status feed over Redis: the message, the worker's publisher.
        .target(
            name: "OrderStatusFeed",
            dependencies: ["OrderCore", "RedisClient", .product(name: "Logging", package: "swift-log")]
        ),
        // The operations side shared by the executables: swift-prometheus as swift-metrics backend,
        // `/metrics`, and the worker's metrics port with `/healthz` and `/readyz`.
        .target(
            name: "OpsHTTP",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "OrderWorker",
            dependencies: [
                "OrderCore", "OrderStore", "OrderStatusFeed", "PostgresClient", "RedisClient", "TemporalBridge",
                "OpsHTTP", "CMalloc", "CSched", "CGnuTLSSkipInit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "OrderAPI",
            dependencies: [
                "OrderCore", "OrderStore", "OrderStatusFeed", "PostgresClient", "RedisClient", "TemporalBridge",
                "OpsHTTP", "CGnuTLSSkipInit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Public")]
        ),
        // `make bench`: load drivers and the benchmark worker; the Python peers sit beside it in Benchmarks/.
        .executableTarget(
            name: "OrderFlowBench",
            dependencies: [
                "TemporalBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/OrderFlowBench"
        ),
        // What several test targets share: running a command off the cooperative pool, the `temporal` CLI's path.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "OrderCoreTests", dependencies: ["OrderCore"]),
        .testTarget(
            name: "PostgresClientTests", dependencies: ["PostgresClient", "ThreadConfinement", "TestSupport"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "TestSupport"]),
        .testTarget(name: "OrderStoreTests", dependencies: ["OrderStore", "OrderCore", "PostgresClient"]),
        .testTarget(
            name: "OpsHTTPTests",
            dependencies: [
                "OpsHTTP",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "TemporalBridgeTests", dependencies: ["TemporalBridge", "TestSupport"], resources: [.copy("Fixtures")]
        ),
        // The replay fixtures are read through #filePath (the recording test rewrites them in place).
        .testTarget(
            name: "OrderWorkerTests",
            dependencies: [
                "OrderWorker", "OrderCore", "OrderStore", "OrderStatusFeed", "PostgresClient", "RedisClient",
                "TemporalBridge", "TestSupport",
            ],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "OrderAPITests",
            dependencies: [
                "OrderAPI", "OrderCore", "OrderStore", "OrderStatusFeed", "PostgresClient", "RedisClient",
                "TemporalBridge",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Zero warnings in our own code: every target of this package (not the dependencies, which keep their own settings)
// treats warnings as errors, so a warning fails the build and `make lint` (scripts/warnings.sh).
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.treatAllWarnings(as: .error)]
    if target.name == "CGRPCShim" {
        target.cSettings = (target.cSettings ?? []) + [.treatAllWarnings(as: .error)]
    }
}

// Release builds of our own modules leave out the run-time exclusivity checks (`swift_beginAccess` on every access to
// a class property or global, the protobuf messages' storage included): 4 % of order-worker's instructions per order
// (callgrind, BENCHMARKS.md "Profile"). The compiler still proves exclusivity statically wherever it can, and debug
// builds, which run the tests, keep the run-time checks, so a conflicting access still fails there.
for target in package.targets where ![.system, .test].contains(target.type) && target.name != "CGRPCShim" {
    let unchecked = SwiftSetting.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
    target.swiftSettings = (target.swiftSettings ?? []) + [unchecked]
}

// The daemons' release link: lld, with relative relocations packed (RELR; glibc 2.36, Debian 12 and later) and no
// exported symbol table (the executables load no plugins that would look symbols up). That maps 8 MiB less of
// order-worker's executable into memory (BENCHMARKS.md, "Orders (as shipped)"); debug builds and tests link as before.
for target in package.targets where ["OrderWorker", "OrderAPI"].contains(target.name) {
    target.linkerSettings =
        (target.linkerSettings ?? []) + [
            .unsafeFlags(
                [
                    "-use-ld=lld", "-Xlinker", "--no-export-dynamic", "-Xlinker", "-z", "-Xlinker",
                    "pack-relative-relocs",
                ],
                .when(configuration: .release))
        ]
}

// order-worker's code layout: the functions a worker runs (Linker/order-worker.order, written by
// Benchmarks/symbol-order.sh) first and together, then the compiler's nameless helpers (Linker/private-text.ld), so
// the few MiB of code that run fill few pages instead of pulling in most of the text 64 KiB at a time. It takes
// effect with every module compiled into sections of one function each (scripts/lib.sh's and the Dockerfile's
// `-function-sections`); without them the same link still works, only with less gain.
if let target = package.targets.first(where: { $0.name == "OrderWorker" }) {
    let linker = Context.packageDirectory + "/Linker"
    target.linkerSettings =
        (target.linkerSettings ?? []) + [
            .unsafeFlags(
                [
                    "-Xlinker", "--symbol-ordering-file=\(linker)/order-worker.order", "-Xlinker",
                    "--no-warn-symbol-ordering", "-Xlinker", "-T", "-Xlinker", "\(linker)/private-text.ld",
                ],
                .when(configuration: .release))
        ]
}
