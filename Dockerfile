# syntax=docker/dockerfile:1
# One image for both executables: order-worker and order-api.

# --- build stage: Swift 6.3 toolchain plus the -dev packages the C targets link against
FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgrpc-dev libprotobuf-dev libpq-dev libhiredis-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
# How each binary links and why: scripts/lib.sh (release_build).
RUN swift build -c release --static-swift-stdlib --product order-worker \
 && swift build -c release --scratch-path .build-release-api --product order-api \
 && mkdir /out \
 && cp "$(swift build -c release --static-swift-stdlib --show-bin-path)"/order-worker /out/ \
 && cp "$(swift build -c release --scratch-path .build-release-api --show-bin-path)"/order-api /out/ \
 && cp -R "$(swift build -c release --static-swift-stdlib --show-bin-path)"/*.resources /out/ \
 && cp -R "$(swift build -c release --scratch-path .build-release-api --show-bin-path)"/*.resources /out/

# --- runtime stage: only the runtime libraries of gRPC-core, libpq, hiredis and the Swift runtime
FROM swift:6.3-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgrpc29 libpq5 libhiredis0.14 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app orderflow
WORKDIR /app
COPY --from=build /out/ /app/
USER orderflow
ENV API_HOST=0.0.0.0 API_PORT=8080
EXPOSE 8080
ENTRYPOINT []
CMD ["/app/order-api"]
