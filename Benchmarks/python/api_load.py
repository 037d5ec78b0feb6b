"""Load driver of Benchmarks/shipped.sh: orders through the API, results from the live status feed.

Creates COUNT orders with `POST /api/orders` (1-3 items over the sample catalog, as people order on the
web page) with at most CONCURRENCY in flight, and takes an order as done when the worker announces
`completed` for it on the Redis status feed (`orderflow:order-status`, what the web page listens to), so
waiting costs the Temporal server nothing. With --burst, every order is created first (CONCURRENCY
requests at a time) and then all are awaited: COUNT runs are open, and cached by the worker, at once.

Prints one JSON line: orders/s, p50/p99 latency (request sent to `completed` announced), and the
workflow tasks and history events per order, counted in the histories of a sample of the orders.
Standard library plus temporalio (for the histories) only: the HTTP and Redis protocols are spoken here.
"""

import argparse
import asyncio
import json
import random
import sys
import time
import uuid

# The sample catalog of Sources/OrderCore/Migrations/0002_sample_products.sql.
CATALOG = [
    ("PROD-001", "Laptop Dell XPS 13", "1299.99"),
    ("PROD-002", "iPhone 15 Pro", "999.99"),
    ("PROD-003", "Samsung 4K TV", "799.99"),
    ("PROD-004", "Wireless Headphones", "299.99"),
    ("PROD-005", "Gaming Mouse", "89.99"),
]
CHANNEL = b"orderflow:order-status"


def order_body(order_id, rng):
    """1-3 distinct products, 1-2 of each: at most 2 x 1299.99 + 2 x 999.99 + 2 x 799.99, under the
    payment limit of 10,000.00, so every order completes."""
    items = [
        {"product_id": pid, "product_name": name, "quantity": rng.randint(1, 2), "unit_price": float(price)}
        for pid, name, price in rng.sample(CATALOG, rng.randint(1, 3))
    ]
    return {"order_id": order_id, "customer_id": f"cust-{rng.randrange(100_000)}", "items": items}


class HTTPConnection:
    """One keep-alive HTTP/1.1 connection; a request at a time."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def post_json(self, path, document):
        body = json.dumps(document).encode()
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        self.writer.write(head + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the API closed the connection")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
            elif name.strip().lower() == "connection" and value.strip().lower() == "close":
                close = True
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            self.writer.close()
            self.writer = None
        return status, payload


class StatusFeed:
    """SUBSCRIBE to the status channel; resolves the futures of orders announced `completed`/`failed`."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.waiting = {}
        self.early = {}

    async def start(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(b"*2\r\n$9\r\nSUBSCRIBE\r\n$%d\r\n%s\r\n" % (len(CHANNEL), CHANNEL))
        await self.writer.drain()
        await self.read_value()  # the subscribe confirmation
        self.task = asyncio.create_task(self.listen())

    async def read_value(self):
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("Redis closed the status feed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"*":
            return [await self.read_value() for _ in range(int(rest))]
        if kind == b"$":
            data = await self.reader.readexactly(int(rest) + 2)
            return data[:-2]
        return rest

    async def listen(self):
        while True:
            message = await self.read_value()
            if not (isinstance(message, list) and len(message) == 3 and message[0] == b"message"):
                continue
            change = json.loads(message[2])
            if change.get("status") not in ("completed", "failed", "cancelled"):
                continue
            future = self.waiting.pop(change["order_id"], None)
            if future is None:
                self.early[change["order_id"]] = change["status"]
            elif not future.done():
                future.set_result(change["status"])

    def wait(self, order_id):
        future = asyncio.get_running_loop().create_future()
        if order_id in self.early:
            future.set_result(self.early.pop(order_id))
        else:
            self.waiting[order_id] = future
        return future


async def history_counts(args, order_ids):
    """Workflow tasks (WorkflowTaskCompleted) and events per order, from the histories of a sample."""
    from temporalio.api.enums.v1 import EventType
    from temporalio.client import Client

    client = await Client.connect(args.temporal, namespace=args.namespace)
    tasks, events = [], []
    for order_id in order_ids:
        history = await client.get_workflow_handle(order_id).fetch_history()
        events.append(len(history.events))
        tasks.append(
            sum(1 for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        )
    return sum(tasks) / len(tasks), sum(events) / len(events)


async def run(args):
    host, _, port = args.api.rpartition(":")
    redis_host, _, redis_port = args.redis.rpartition(":")
    feed = StatusFeed(redis_host, int(redis_port))
    await feed.start()
    prefix = f"{args.id_prefix}-{uuid.uuid4().hex[:8]}"
    connections = asyncio.Queue()
    for _ in range(args.concurrency):
        connections.put_nowait(HTTPConnection(host, int(port)))
    latencies, failures = [], []

    async def create(index):
        order_id = f"{prefix}-{index}"
        connection = await connections.get()
        done = feed.wait(order_id)
        begin = time.perf_counter()
        try:
            status, payload = await connection.post_json(
                "/api/orders", order_body(order_id, random.Random(f"{args.seed}-{index}"))
            )
        except Exception:
            connection.writer = None
            raise
        finally:
            connections.put_nowait(connection)
        if status != 201:
            feed.waiting.pop(order_id, None)
            raise RuntimeError(f"POST /api/orders answered {status}: {payload[:300]!r}")
        return order_id, begin, done

    async def finish(order_id, begin, done):
        outcome = await asyncio.wait_for(done, args.timeout)
        if outcome != "completed":
            raise RuntimeError(f"order {order_id} ended {outcome}")
        latencies.append(time.perf_counter() - begin)

    async def one(index):
        try:
            await finish(*(await create(index)))
        except Exception as error:  # noqa: BLE001 - counted and reported
            failures.append(f"{type(error).__name__}: {error}")

    started = time.perf_counter()
    if args.burst:
        created = await asyncio.gather(*(create(i) for i in range(args.count)), return_exceptions=True)
        pending = []
        for outcome in created:
            if isinstance(outcome, BaseException):
                failures.append(f"{type(outcome).__name__}: {outcome}")
            else:
                pending.append(finish(*outcome))
        finished = await asyncio.gather(*pending, return_exceptions=True)
        failures.extend(f"{type(e).__name__}: {e}" for e in finished if isinstance(e, BaseException))
    else:
        slots = asyncio.Semaphore(args.concurrency)

        async def bounded(index):
            async with slots:
                await one(index)

        await asyncio.gather(*(bounded(i) for i in range(args.count)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p):
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    report = {
        "count": args.count,
        "completed": len(latencies),
        "failures": len(failures),
        "failure_samples": failures[:5],
        "per_s": round(len(latencies) / elapsed, 2) if elapsed > 0 else 0.0,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
    }
    if args.history_sample and latencies:
        sample = [f"{prefix}-{i}" for i in range(min(args.history_sample, args.count))]
        tasks, events = await history_counts(args, sample)
        report["workflow_tasks_per_order"] = round(tasks, 2)
        report["history_events_per_order"] = round(events, 2)
    print(json.dumps(report), flush=True)
    return 0 if not failures else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="127.0.0.1:8080", help="order-api host:port")
    parser.add_argument("--redis", default="127.0.0.1:6379", help="the status feed's Redis host:port")
    parser.add_argument("--temporal", default="127.0.0.1:7233", help="Temporal frontend, for the histories")
    parser.add_argument("--namespace", default="default")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--burst", action="store_true", help="create all, then await all")
    parser.add_argument("--timeout", type=float, default=600, help="seconds an order may take")
    parser.add_argument("--history-sample", type=int, default=0, help="orders whose histories are counted")
    parser.add_argument("--id-prefix", default="shipped")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    code = asyncio.run(run(args))
    sys.stdout.flush()
    import os

    os._exit(code)  # sdk-python#300: the client may crash at interpreter exit


if __name__ == "__main__":
    main()
