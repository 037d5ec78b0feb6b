# OrderFlow — developer entry points. `make run` brings the system up; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SCRIPTS := scripts
VENV := .venv
SWIFT_BUILD_FLAGS ?=
# Generated protobuf code is left as protoc-gen-swift writes it.
SWIFT_SOURCES = $(shell find Sources Tests Benchmarks -name '*.swift' -not -path '*/Generated/*')

.PHONY: help deps test-deps build build-release services-up services-down run start-full-stack stop run-worker run-api \
        test test-unit test-integration test-python test-coverage fmt lint bench drill grpc-leak-check \
        db-connect db-migrate db-reset docker-build docker-up docker-down docker-logs docker-clean compose-check docker-check

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

deps: ## what building and running needs: Debian packages, the Temporal CLI in .venv (idempotent)
	@bash $(SCRIPTS)/deps.sh run

test-deps: ## deps plus the test and benchmark tools (Chromium, wrk, valgrind, docker-compose, test venv packages)
	@bash $(SCRIPTS)/deps.sh test

build: deps ## debug build of everything
	swift build $(SWIFT_BUILD_FLAGS)

build-release: deps ## release build of order-worker and order-api (how each links: scripts/lib.sh)
	@bash -c 'source $(SCRIPTS)/lib.sh && release_build order-worker order-api'

services-up: ## start PostgreSQL, the Temporal dev server and redis-server (if not already answering)
	@bash $(SCRIPTS)/services.sh up

services-down: ## stop the services started by services-up
	@bash $(SCRIPTS)/services.sh down

run: deps services-up build-release ## everything: services, migrations, worker and API in the background
	@bash $(SCRIPTS)/run.sh start

start-full-stack: run ## seed name of `make run`

stop: ## stop the worker, the API and the services
	@bash $(SCRIPTS)/run.sh stop
	@bash $(SCRIPTS)/services.sh down

run-worker: ## order-worker in the foreground against running services
	swift run order-worker run

run-api: ## order-api in the foreground against running services
	swift run order-api

db-migrate: services-up ## apply pending migrations
	swift run order-worker migrate

db-reset: services-up ## drop and recreate the database (asks unless FORCE=1)
	@bash $(SCRIPTS)/db.sh reset

db-connect: ## psql on the OrderFlow database
	@bash $(SCRIPTS)/db.sh connect

test: test-deps services-up ## every test: unit, integration (real PostgreSQL + Temporal), conformance, interop
	@bash $(SCRIPTS)/test.sh

test-coverage: test-deps services-up ## every test with coverage: lines, functions, regions per target; HTML in test-output/coverage/
	@COVERAGE=1 bash $(SCRIPTS)/test.sh

bench: test-deps services-up ## benchmarks against the Temporal Python SDK; writes BENCHMARKS.md
	@bash $(SCRIPTS)/bench.sh

drill: deps build ## fault drill: DRILL_ORDERS orders (1000) through worker SIGKILLs, PostgreSQL/Temporal/Redis restarts, a Temporal freeze, a rolling restart of 3 replicas (private services; writes BENCHMARKS.md's drill section)
	@bash $(SCRIPTS)/drill.sh

grpc-leak-check: test-deps services-up ## gRPC shim calls under valgrind
	@bash $(SCRIPTS)/grpc-leak-check.sh

compose-check: ## validate the compose files (no Docker engine needed)
	docker-compose -f docker-compose.yml config -q
	docker-compose -f docker-compose.yml -f docker-compose.prod.yml config -q
	@echo "compose files valid"

docker-check: ## prove the image without a Docker engine: COPY lines, native build RUN lines, ldd vs apt, compose
	@bash $(SCRIPTS)/docker-check.sh

docker-build: ## build the orderflow image
	docker compose build

docker-up: ## the production-shaped stack (postgres, redis, temporal, temporal-ui, worker, api)
	docker compose up -d --build

docker-down:
	docker compose down

docker-logs:
	docker compose logs -f --tail=200

docker-clean: ## remove containers, volumes and the image
	docker compose down -v --rmi local

fmt: ## format the Swift sources in place
	swift format format --in-place --parallel --configuration .swift-format $(SWIFT_SOURCES)

lint: ## lint the Swift sources, build our targets (every warning an error) and check every target's imports (docs/architecture.md)
	swift format lint --strict --parallel --configuration .swift-format $(SWIFT_SOURCES)
	@bash $(SCRIPTS)/warnings.sh
	@bash $(SCRIPTS)/check-imports.sh
	@bash $(SCRIPTS)/check-imports.sh --self-test
