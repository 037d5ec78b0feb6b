"""The driver of Benchmarks/backlog.sh: a backlog of OrderWorkflows, then what the server says of its drain.

  backlog_driver.py start ...  starts --count OrderWorkflows (the JSON input of docs/workflow.md, workflow id =
                               order id) on --task-queue while no worker polls it; prints one JSON line.
  backlog_driver.py drain ...  waits until none of them runs any more, then reads every run's close time from
                               the server's visibility store and prints one JSON line of figures, measured from
                               --since (the epoch second the worker process was launched).

The figures come from the server's own timestamps (close time, the first WorkflowTaskStarted), not from the
driver's clock of when it noticed, so polling adds no error; the worker under test may be order-worker or the
Python SDK peer, the driver is the same. The Temporal Python SDK client is used because it lists and counts
executions; it runs before the worker starts and after the drain, never beside it (only a count every
--poll-interval seconds while the worker drains).
"""

import argparse
import asyncio
import json
import math
import os
import random
import sys
import time

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of sorted values."""
    if not sorted_values:
        return 0.0
    rank = max(math.ceil(fraction * len(sorted_values)), 1)
    return sorted_values[min(rank, len(sorted_values)) - 1]


def order_input(order_id, product_id, unit_price):
    return {
        "order_id": order_id,
        "customer_id": "bench-customer",
        "items": [
            {
                "product_id": product_id,
                "product_name": "Benchmark item",
                "quantity": 1,
                "unit_price": unit_price,
            }
        ],
    }


async def start(client, args):
    ids = iter(range(args.count))

    async def caller():
        for index in ids:
            order_id = f"{args.id_prefix}-{index}"
            await client.start_workflow(
                "OrderWorkflow",
                order_input(order_id, args.product_id, args.unit_price),
                id=order_id,
                task_queue=args.task_queue,
            )

    began = time.monotonic()
    await asyncio.gather(*(caller() for _ in range(min(args.concurrency, args.count))))
    elapsed = time.monotonic() - began
    return {"started": args.count, "elapsed_s": round(elapsed, 2), "per_s": round(args.count / elapsed, 1)}


async def drain(client, args):
    queue = f"TaskQueue = '{args.task_queue}'"
    deadline = time.monotonic() + args.timeout
    while True:
        running = (await client.count_workflows(f"{queue} AND ExecutionStatus = 'Running'")).count
        if running == 0:
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"backlog_driver.py: {running} orders still running after {args.timeout} s")
        await asyncio.sleep(args.poll_interval)
    # Visibility is written asynchronously: wait until it holds every closed run.
    while (await client.count_workflows(queue)).count < args.count:
        if time.monotonic() > deadline:
            raise SystemExit("backlog_driver.py: visibility never listed every run")
        await asyncio.sleep(args.poll_interval)

    closes, statuses = {}, {}
    async for execution in client.list_workflows(queue, page_size=1000):
        closes[execution.id] = execution.close_time.timestamp()
        statuses[execution.status] = statuses.get(execution.status, 0) + 1
    completed = statuses.get(WorkflowExecutionStatus.COMPLETED, 0)
    waits = sorted(close - args.since for close in closes.values())
    drain_s = waits[-1]

    # Pickup → close on a sample: how long an order takes once the worker has taken it (its first workflow
    # task started), which grows when a worker takes more runs than it can keep cached.
    sample = random.Random(7).sample(sorted(closes), min(args.sample, len(closes)))
    semaphore = asyncio.Semaphore(10)

    async def in_service(workflow_id):
        async with semaphore:
            history = await client.get_workflow_handle(workflow_id).fetch_history()
        for event in history.events:
            if event.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
                return closes[workflow_id] - event.event_time.ToDatetime().timestamp()
        return None

    services = sorted(s for s in await asyncio.gather(*(in_service(w) for w in sample)) if s is not None)
    return {
        "count": len(closes),
        "completed": completed,
        "drain_s": round(drain_s, 3),
        "per_s": round(len(closes) / drain_s, 2) if drain_s > 0 else 0,
        "wait_p50_s": round(percentile(waits, 0.50), 3),
        "wait_p99_s": round(percentile(waits, 0.99), 3),
        "service_p50_ms": round(percentile(services, 0.50) * 1000, 1),
        "service_p99_ms": round(percentile(services, 0.99) * 1000, 1),
        "service_sample": len(services),
        "other_statuses": {str(k.name): v for k, v in statuses.items() if k != WorkflowExecutionStatus.COMPLETED},
    }


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["start", "drain"])
    parser.add_argument("--address", required=True)
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--task-queue", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--id-prefix", default="backlog")
    parser.add_argument("--product-id", default="BENCH-001")
    parser.add_argument("--unit-price", type=float, default=10.00)
    parser.add_argument("--since", type=float, help="epoch seconds the worker was launched (drain)")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--poll-interval", type=float, default=0.5)
    parser.add_argument("--sample", type=int, default=200, help="runs whose history gives pickup → close")
    args = parser.parse_args()
    client = await Client.connect(args.address, namespace=args.namespace)
    report = await (start(client, args) if args.command == "start" else drain(client, args))
    print(json.dumps(report, sort_keys=True), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    # sdk-python#300: leaving through the interpreter's shutdown can crash in the SDK's Rust core.
    os._exit(0)
