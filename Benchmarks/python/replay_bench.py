"""The Temporal Python SDK peer of `orderflow-bench replay` for Benchmarks/replay.sh.

Defines ReplayBenchWorkflow exactly as Benchmarks/OrderFlowBench/ReplayBenchmark.swift does (rounds of
`width` ReplayBenchStep activities in parallel) and replays one recorded history (the JSON of
`temporal workflow show --output json`) with `temporalio.worker.Replayer` `--runs` times. SDK defaults
(sandboxed workflow runner). Prints one JSON line: events, median and p90 ms per replay.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from datetime import timedelta

from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.common import RetryPolicy
from temporalio.worker import Replayer


@workflow.defn(name="ReplayBenchWorkflow")
class ReplayBenchWorkflow:
    @workflow.run
    async def run(self, value: dict) -> int:
        for round_number in range(value["rounds"]):
            await asyncio.gather(
                *[
                    workflow.execute_activity(
                        "ReplayBenchStep",
                        {"round": round_number, "index": index},
                        start_to_close_timeout=timedelta(seconds=10),
                        retry_policy=RetryPolicy(maximum_attempts=3),
                    )
                    for index in range(value["width"])
                ]
            )
        return value["rounds"] * value["width"]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    with open(args.history, encoding="utf-8") as handle:
        text = handle.read()
    history = WorkflowHistory.from_json("replay-bench", text)
    replayer = Replayer(workflows=[ReplayBenchWorkflow])
    for _ in range(args.warmup):
        await replayer.replay_workflow(history)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        await replayer.replay_workflow(history)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    report = {
        "events": len(history.events),
        "runs": args.runs,
        "replay_ms_p50": statistics.median(times),
        "replay_ms_p90": times[min(len(times) - 1, len(times) * 9 // 10)],
    }
    print(json.dumps(report, sort_keys=True))


if __name__ == "__main__":
    asyncio.run(main())
    # The SDK's Rust threads can outlive interpreter finalization and crash a short-lived process after
    # its work is printed (temporalio/sdk-python#300): leave without the teardown so the exit status is ours.
    sys.stdout.flush()
    os._exit(0)
