# syntax=docker/dockerfile:1
# One image for both executables: order-worker and order-api.
# `make docker-check` proves this file without a Docker engine: it assembles a folder from the build stage's COPY
# lines, runs the build stage's build RUN lines there natively, and checks every library the binaries load against
# the runtime stage's apt-get line and COPY lines. Keep the build stage's RUN lines plain `sh` for that reason.

# --- build stage: Swift 6.3 toolchain plus the -dev packages the C targets link against
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgrpc-dev libprotobuf-dev libpq-dev libhiredis-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Everything Package.swift names: a target folder missing here stops SwiftPM from loading the package at all.
COPY Package.swift ./
# The dependencies in a layer of their own, fetched again only when Package.swift changes.
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks/OrderFlowBench ./Benchmarks/OrderFlowBench
COPY Linker ./Linker
ARG OUT=/out
# The same flags and build folders as scripts/lib.sh (swift_release): order-worker with the Swift runtime linked
# statically and each function in a section of its own (for its code layout, Package.swift), order-api with the
# shared runtime in a build folder of its own. docker-check compares the two.
RUN swift build -c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
    --product order-worker \
 && swift build -c release --scratch-path .build-release-api --product order-api
RUN mkdir -p "$OUT" \
 && cp "$(swift build -c release --static-swift-stdlib --show-bin-path)/order-worker" "$OUT/" \
 && cp "$(swift build -c release --scratch-path .build-release-api --show-bin-path)/order-api" "$OUT/" \
 && cp -R "$(swift build -c release --static-swift-stdlib --show-bin-path)/OrderFlow_OrderStore.resources" "$OUT/" \
 && cp -R "$(swift build -c release --scratch-path .build-release-api --show-bin-path)/OrderFlow_OrderAPI.resources" "$OUT/"

# --- runtime stage: Debian without a toolchain. Every library the binaries load comes from the apt-get line below
# (with what apt pulls in) or from the Swift runtime files copied from the build stage; nothing else is assumed.
# gRPC-core is linked into the binaries (Package.swift); libssl3 is the OpenSSL it and libpq use.
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libssl3 libpq5 libhiredis0.14 libstdc++6 libgcc-s1 ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app orderflow
# order-api's shared Swift runtime (order-worker links it statically); the binary's run path is /usr/lib/swift/linux.
COPY --from=build /usr/lib/swift/linux/libswiftCore.so /usr/lib/swift/linux/libswift_Concurrency.so /usr/lib/swift/linux/libswift_StringProcessing.so \
     /usr/lib/swift/linux/libswift_RegexParser.so /usr/lib/swift/linux/libswift_Builtin_float.so /usr/lib/swift/linux/libswiftGlibc.so \
     /usr/lib/swift/linux/libswiftSynchronization.so /usr/lib/swift/linux/libswiftDispatch.so /usr/lib/swift/linux/libdispatch.so \
     /usr/lib/swift/linux/libBlocksRuntime.so /usr/lib/swift/linux/libFoundation.so /usr/lib/swift/linux/libFoundationEssentials.so \
     /usr/lib/swift/linux/libFoundationInternationalization.so /usr/lib/swift/linux/lib_FoundationICU.so \
     /usr/lib/swift/linux/
WORKDIR /app
COPY --from=build /out/order-worker /out/order-api /app/
COPY --from=build /out/OrderFlow_OrderStore.resources /app/OrderFlow_OrderStore.resources
COPY --from=build /out/OrderFlow_OrderAPI.resources /app/OrderFlow_OrderAPI.resources
USER orderflow
ENV API_HOST=0.0.0.0 API_PORT=8080
EXPOSE 8080
ENTRYPOINT []
CMD ["/app/order-api"]
