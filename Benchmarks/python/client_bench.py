"""The Temporal Python SDK peer of `orderflow-bench client` for Benchmarks/client.sh.

Same phases, sizes and JSON keys as the Swift driver: DescribeNamespace round trips
(client.workflow_service.describe_namespace) and client.start_workflow, each at one caller and at
--concurrency callers sharing one Client. SDK defaults otherwise. No worker: started workflows stay
running on the private bench server.
"""

import argparse
import asyncio
import json
import math
import os
import resource
import sys
import time
import uuid

from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client


class Phase:
    """`calls` calls spread over `callers` concurrent tasks, each timed on its own."""

    def __init__(self, latencies_ns: list[int], wall_ns: int):
        self.latencies_ns = sorted(latencies_ns)
        self.wall_ns = wall_ns

    @classmethod
    async def run(cls, calls: int, callers: int, call) -> "Phase":
        next_index = iter(range(calls))
        latencies: list[int] = []

        async def caller() -> None:
            # One event loop: handing out indices needs no lock.
            for index in next_index:
                sent = time.perf_counter_ns()
                await call(index)
                latencies.append(time.perf_counter_ns() - sent)

        began = time.perf_counter_ns()
        await asyncio.gather(*(caller() for _ in range(min(callers, calls))))
        return cls(latencies, time.perf_counter_ns() - began)

    def percentile_ms(self, quantile: float) -> float:
        """Nearest-rank percentile, in milliseconds rounded to microseconds."""
        if not self.latencies_ns:
            return 0.0
        rank = max(math.ceil(quantile * len(self.latencies_ns)), 1)
        return round(self.latencies_ns[rank - 1] / 1e6, 3)

    @property
    def per_second(self) -> float:
        return round(len(self.latencies_ns) / (self.wall_ns / 1e9), 1)


def process_usage() -> tuple[int, float]:
    """CPU milliseconds (all threads, the SDK's Rust core included) and peak RSS in MiB."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return int((usage.ru_utime + usage.ru_stime) * 1000), round(usage.ru_maxrss / 1024, 1)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--address", default="127.0.0.1:7233")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--count", type=int, default=200, help="workflow starts per phase")
    parser.add_argument("--unary-count", type=int, help="DescribeNamespace calls per phase (default 5 x count)")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.count <= 0 or args.concurrency <= 0 or (args.unary_count is not None and args.unary_count <= 0):
        parser.error("--count, --unary-count and --concurrency must be positive")
    unary_count = args.unary_count or args.count * 5

    client = await Client.connect(args.address, namespace=args.namespace, identity="orderflow-bench-client-python")
    run_tag = f"bench-client-python-{uuid.uuid4().hex[:8]}"
    describe_request = DescribeNamespaceRequest(namespace=args.namespace)

    async def describe(_: int) -> None:
        await client.workflow_service.describe_namespace(describe_request)

    def start(phase: str):
        async def call(index: int) -> None:
            await client.start_workflow("BenchClientWorkflow", id=f"{run_tag}-{phase}-{index}", task_queue=run_tag)

        return call

    # Warm-up: connect, fill caches on both ends; not measured.
    await Phase.run(50, 1, describe)
    await Phase.run(10, 1, start("warmup"))

    cpu_before, _ = process_usage()
    phases = [
        ("describe_1", await Phase.run(unary_count, 1, describe)),
        ("describe_n", await Phase.run(unary_count, args.concurrency, describe)),
        ("start_1", await Phase.run(args.count, 1, start("serial"))),
        ("start_n", await Phase.run(args.count, args.concurrency, start("concurrent"))),
    ]
    cpu_after, peak_rss_mb = process_usage()

    report = {
        "client": "python",
        "count": args.count,
        "unary_count": unary_count,
        "concurrency": args.concurrency,
        "cpu_ms": cpu_after - cpu_before,
        "peak_rss_mb": peak_rss_mb,
    }
    for key, phase in phases:
        report[f"{key}_p50_ms"] = phase.percentile_ms(0.50)
        report[f"{key}_p99_ms"] = phase.percentile_ms(0.99)
        report[f"{key}_per_s"] = phase.per_second
    if args.json:
        print(json.dumps(report, sort_keys=True))
    else:
        for key, phase in phases:
            print(
                f"{key}: {len(phase.latencies_ns)} calls, p50 {phase.percentile_ms(0.5)} ms, "
                f"p99 {phase.percentile_ms(0.99)} ms, {phase.per_second}/s"
            )
        print(f"client CPU {report['cpu_ms']} ms, peak RSS {peak_rss_mb} MiB")


if __name__ == "__main__":
    asyncio.run(main())
    # The SDK's Rust threads can outlive interpreter finalization and abort a short-lived client process
    # after its work is done (temporalio/sdk-python#300); skip the teardown so the exit status is ours.
    sys.stdout.flush()
    os._exit(0)
