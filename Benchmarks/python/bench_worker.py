"""The Temporal Python SDK peer of `orderflow-bench workflow-worker` for Benchmarks/worker.sh.

Registers the same workflow type (WorkerBenchWorkflow) and activity names (BenchStepOne..Four) with
the same JSON shapes ({"id": str, "value": int}; each activity adds one), so the same load driver
measures both workers. SDK defaults otherwise (sandboxed workflow runner, eager activities on);
--cache-size 0 turns sticky execution off. Runs until SIGTERM/SIGINT.
"""

import argparse
import asyncio
import signal
import sys
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.worker import Worker

ACTIVITY_TIMEOUT = timedelta(seconds=10)
ACTIVITY_RETRY = RetryPolicy(maximum_attempts=3)


def _next(value: dict) -> dict:
    return {"id": value["id"], "value": value["value"] + 1}


@activity.defn(name="BenchStepOne")
async def bench_step_one(value: dict) -> dict:
    return _next(value)


@activity.defn(name="BenchStepTwo")
async def bench_step_two(value: dict) -> dict:
    return _next(value)


@activity.defn(name="BenchStepThree")
async def bench_step_three(value: dict) -> dict:
    return _next(value)


@activity.defn(name="BenchStepFour")
async def bench_step_four(value: dict) -> dict:
    return _next(value)


ACTIVITIES = ["BenchStepOne", "BenchStepTwo", "BenchStepThree", "BenchStepFour"]


@workflow.defn(name="WorkerBenchWorkflow")
class WorkerBenchWorkflow:
    @workflow.run
    async def run(self, value: dict) -> dict:
        current = value
        for name in ACTIVITIES:
            current = await workflow.execute_activity(
                name, current, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=ACTIVITY_RETRY
            )
        return current


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default="127.0.0.1:7233")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--task-queue", default="worker-bench")
    parser.add_argument("--cache-size", type=int, default=1000, help="max_cached_workflows; 0 = sticky off")
    parser.add_argument("--no-eager-activities", action="store_true")
    args = parser.parse_args()

    client = await Client.connect(args.address, namespace=args.namespace)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    worker = Worker(
        client,
        task_queue=args.task_queue,
        workflows=[WorkerBenchWorkflow],
        activities=[bench_step_one, bench_step_two, bench_step_three, bench_step_four],
        max_cached_workflows=args.cache_size,
        disable_eager_activity_execution=args.no_eager_activities,
    )
    async with worker:
        print("ready", args.task_queue, flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
