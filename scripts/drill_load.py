"""Load driver and Temporal inspector of the fault drill (scripts/drill.sh).

  drill_load.py load      submits orders through POST /api/orders at a steady pace, cancels some of
                          them through the API mid-flight, and writes one CSV row per order
  drill_load.py statuses  asks the API for the status of every accepted order and writes one CSV row
                          per order
  drill_load.py histories reads every workflow of the drill's task queue from Temporal and writes one
                          CSV row per workflow: its status, start and close times, what its history
                          says was done, and the code path it ran (the fraud-screen patch marker) and
                          who started it; and one CSV row per trouble a fault left in a history: a
                          workflow task that failed (by cause) or timed out (by timeout type), an
                          activity that timed out, or an activity attempt retried after a timeout
  drill_load.py abandoned asks Temporal for the activity attempts still started by a worker that has
                          exited (by its pid): after a graceful shutdown there must be none, as every
                          attempt it held was finished and reported; one left would time out

The load runs while drill.sh kills the worker and restarts PostgreSQL, so every call retries what a
real client would retry: 503 and 429 after their Retry-After, refused or reset connections after a
short pause. Each retry is counted. Every order carries its own order_id, so a retried POST whose
first attempt did start the workflow answers 200 with that order instead of starting a second one.
"""

import argparse
import asyncio
import csv
import json
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

RETRYABLE_STATUSES = {429, 503}
# How long one call keeps retrying before the driver records it as not answered.
CALL_DEADLINE_SECONDS = 90.0
CONNECTION_RETRY_PAUSE_SECONDS = 0.5
# The patch OrderWorkflow's fraud screen sits behind, and WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR.
FRAUD_SCREEN_PATCH = "fraud-screen"
NON_DETERMINISTIC_CAUSE = 24
# What a cancellation through the API may answer once the order exists.
CANCEL_OUTCOMES = {202: "requested", 409: "already_terminal"}


class Counters:
    """Thread-safe tallies of what the API answered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.values: dict[str, int] = {}

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.values[name] = self.values.get(name, 0) + amount


def call(method: str, url: str, body: dict | None, counters: Counters) -> tuple[int, dict | None]:
    """One API call with the retries a client owes a briefly unavailable service.

    Returns the final HTTP status and JSON body; status 0 means no answer within the deadline.
    """
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    deadline = time.monotonic() + CALL_DEADLINE_SECONDS
    while True:
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, _json(response.read())
        except urllib.error.HTTPError as error:
            payload = _json(error.read())
            if error.code not in RETRYABLE_STATUSES:
                return error.code, payload
            counters.add(f"retries_{error.code}")
            pause = _retry_after(error.headers.get("Retry-After"))
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            counters.add("retries_connection")
            print(f"drill-load: {method} {url}: {error}; retrying", file=sys.stderr, flush=True)
            pause = CONNECTION_RETRY_PAUSE_SECONDS
        if time.monotonic() + pause > deadline:
            return 0, None
        time.sleep(pause)


def _json(raw: bytes) -> dict | None:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _retry_after(value: str | None) -> float:
    try:
        return max(0.1, float(value)) if value else 1.0
    except ValueError:
        return 1.0


class OrderMix:
    """The drill's orders: mostly valid ones, some cancelled mid-flight, and some that must fail
    (more than the stock, an unknown product, a total the payment simulator declines), so the
    compensation paths run while the faults land. Seeded, so a run can be repeated."""

    def __init__(self, catalog: list[dict], max_payment: Decimal, seed: int) -> None:
        self.catalog = sorted(catalog, key=lambda p: p["id"])
        self.prices = {p["id"]: Decimal(str(p["price"])) for p in self.catalog}
        self.max_payment = max_payment
        self.random = random.Random(seed)

    def order(self, order_id: str) -> tuple[str, dict]:
        roll = self.random.random()
        if roll < 0.06:
            kind, items = "unknown_product", [self._line("PROD-DOES-NOT-EXIST", 1)]
        elif roll < 0.14:
            product = self.random.choice(self.catalog)
            kind, items = "over_stock", [self._line(product["id"], min(1000, int(product.get("stock", 999)) + 1))]
        elif roll < 0.20:
            kind, items = "declined", [self._line(self._priciest(), self._over_limit_quantity())]
        else:
            kind = "cancel" if roll < 0.38 else "valid"
            items = [
                self._line(p["id"], self.random.randint(1, 2))
                for p in self.random.sample(self.catalog, self.random.randint(1, 2))
            ]
        body = {"order_id": order_id, "customer_id": f"drill-{self.random.randint(1, 25)}", "items": items}
        return kind, body

    def total(self, body: dict) -> Decimal:
        return sum((self.prices.get(i["product_id"], Decimal(0)) * i["quantity"] for i in body["items"]), Decimal(0))

    def _line(self, product_id: str, quantity: int) -> dict:
        price = self.prices.get(product_id, Decimal("1.00"))
        return {"product_id": product_id, "product_name": product_id, "quantity": quantity, "unit_price": float(price)}

    def _priciest(self) -> str:
        return max(self.prices, key=lambda pid: self.prices[pid])

    def _over_limit_quantity(self) -> int:
        return int(self.max_payment / self.prices[self._priciest()]) + 1


def load(args: argparse.Namespace) -> int:
    counters = Counters()
    status, catalog = call("GET", f"{args.api}/api/products", None, counters)
    if status != 200 or not isinstance(catalog, (list, dict)):
        print(f"drill-load: GET /api/products answered {status}", file=sys.stderr)
        return 1
    products = catalog if isinstance(catalog, list) else catalog.get("products", [])
    mix = OrderMix(products, Decimal(args.max_payment), args.seed)
    pace = random.Random(args.seed + 1)

    rows: list[dict] = []
    rows_lock = threading.Lock()

    def submit(order_id: str, kind: str, body: dict) -> None:
        started = time.monotonic()
        status, answer = call("POST", f"{args.api}/api/orders", body, counters)
        row = {
            "order_id": order_id,
            "kind": kind,
            "total": str(mix.total(body)),
            "http_status": status,
            "accepted": status in (200, 201),
            "cancel": "",
            "submit_ms": int((time.monotonic() - started) * 1000),
        }
        if status == 201 and answer and answer.get("order_id") != order_id:
            row["accepted"] = False
            counters.add("wrong_order_id")
        if kind == "cancel" and row["accepted"]:
            time.sleep(pace.uniform(0.05, 1.5))
            cancel_status, _ = call(
                "POST", f"{args.api}/api/orders/{order_id}/cancel", {"reason": "fault drill"}, counters
            )
            row["cancel"] = CANCEL_OUTCOMES.get(cancel_status, f"http_{cancel_status}")
        with rows_lock:
            rows.append(row)

    interval = args.seconds / args.orders
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        for index in range(args.orders):
            delay = start + index * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            order_id = f"{args.prefix}-{index + 1:04d}"
            kind, body = mix.order(order_id)
            pool.submit(submit, order_id, kind, body)
            _write_progress(args.progress, index + 1)
    elapsed = time.monotonic() - start

    rows.sort(key=lambda r: r["order_id"])
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()) if rows else ["order_id"])
        writer.writeheader()
        writer.writerows(rows)
    summary = {"submitted": args.orders, "seconds": round(elapsed, 1), **counters.values}
    with open(args.summary, "w") as handle:
        json.dump(summary, handle)
    print(f"drill-load: {len(rows)} orders submitted in {elapsed:.1f} s; {json.dumps(counters.values)}", flush=True)
    return 0


def statuses(args: argparse.Namespace) -> int:
    counters = Counters()
    with open(args.orders_csv, newline="") as handle:
        order_ids = [row["order_id"] for row in csv.DictReader(handle) if row["accepted"] == "True"]

    def status(order_id: str) -> dict:
        code, answer = call("GET", f"{args.api}/api/orders/{order_id}/status", None, counters)
        answer = answer or {}
        return {
            "order_id": order_id, "http_status": code,
            "status": answer.get("status", ""), "source": answer.get("source", ""),
        }

    with ThreadPoolExecutor(max_workers=8) as pool:
        rows = list(pool.map(status, order_ids))
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["order_id", "http_status", "status", "source"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"drill-load: {len(rows)} statuses read through the API; {json.dumps(counters.values)}", flush=True)
    return 0


def _write_progress(path: str, submitted: int) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w") as handle:
        handle.write(f"{submitted}\n")
    os.replace(temporary, path)


async def histories(args: argparse.Namespace) -> int:
    from temporalio.client import Client

    client = await Client.connect(args.address, namespace=args.namespace)
    executions = [e async for e in client.list_workflows(f'TaskQueue="{args.task_queue}"')]
    limit = asyncio.Semaphore(16)
    troubles: list[dict] = []

    async def inspect(execution) -> dict:
        async with limit:
            history = await client.get_workflow_handle(execution.id, run_id=execution.run_id).fetch_history()
        troubles.extend({"order_id": execution.id, **t} for t in _history_troubles(history))
        closed = execution.close_time
        return {
            "order_id": execution.id, "status": execution.status.name, **_history_facts(history),
            "closed_ms": int(closed.timestamp() * 1000) if closed else "",
        }

    rows = await asyncio.gather(*(inspect(e) for e in executions))
    with open(args.out, "w", newline="") as handle:
        writer = csv.DictWriter(
            handle,
            fieldnames=[
                "order_id", "status", "payments_scheduled", "refunds_scheduled", "refunds_done",
                "releases_scheduled", "releases_done", "workflow_task_failures", "workflow_task_timeouts",
                "activity_retries", "nondeterminism_failures", "path", "fraud_screens", "first_task_pid",
                "started_ms", "closed_ms",
            ],
        )
        writer.writeheader()
        writer.writerows(sorted(rows, key=lambda r: r["order_id"]))
    with open(args.troubles_out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["order_id", "event", "detail", "activity", "attempt", "event_ms"])
        writer.writeheader()
        writer.writerows(sorted(troubles, key=lambda r: (r["event_ms"], r["order_id"])))
    print(f"drill-load: {len(rows)} workflows read from Temporal", flush=True)
    return 0


async def abandoned(args: argparse.Namespace) -> int:
    from temporalio.api.enums.v1 import PendingActivityState
    from temporalio.client import Client

    client = await Client.connect(args.address, namespace=args.namespace)
    query = f'TaskQueue="{args.task_queue}" AND ExecutionStatus="Running"'
    executions = [e async for e in client.list_workflows(query)]
    limit = asyncio.Semaphore(16)
    started = PendingActivityState.Value("PENDING_ACTIVITY_STATE_STARTED")

    async def inspect(execution) -> list[dict]:
        async with limit:
            description = await client.get_workflow_handle(execution.id, run_id=execution.run_id).describe()
        return [
            {"replica": args.replica, "order_id": execution.id, "activity": p.activity_type.name,
             "attempt": p.attempt, "identity": p.last_worker_identity}
            for p in description.raw_description.pending_activities
            if p.state == started and p.last_worker_identity.split("@", 1)[0] == str(args.pid)
        ]

    rows = [row for found in await asyncio.gather(*(inspect(e) for e in executions)) for row in found]
    with open(args.out, "a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["replica", "order_id", "activity", "attempt", "identity"])
        writer.writerows(rows)
    print(f"drill-load: {len(rows)} activity attempts still started by pid {args.pid} "
          f"({len(executions)} running workflows described)", flush=True)
    return 0


def _history_facts(history) -> dict:
    """What a history says the workflow did: how often it scheduled each money/stock step, how many
    of those attempts reported that they changed something (a refund, a release), and the traces
    the faults left (activity retries, workflow tasks that timed out or failed)."""
    scheduled: dict[int, str] = {}
    facts = {
        "payments_scheduled": 0, "refunds_scheduled": 0, "refunds_done": 0,
        "releases_scheduled": 0, "releases_done": 0, "workflow_task_failures": 0, "workflow_task_timeouts": 0,
        "activity_retries": 0, "nondeterminism_failures": 0, "path": "old", "fraud_screens": 0,
        "first_task_pid": 0, "started_ms": 0,
    }
    for event in history.events:
        kind = event.WhichOneof("attributes")
        if kind == "workflow_execution_started_event_attributes":
            facts["started_ms"] = event.event_time.ToMilliseconds()
        elif kind == "workflow_task_completed_event_attributes" and not facts["first_task_pid"]:
            # The worker identity is "pid@host": which build's process ran the first task.
            pid = event.workflow_task_completed_event_attributes.identity.split("@", 1)[0]
            facts["first_task_pid"] = int(pid) if pid.isdigit() else -1
        elif kind == "marker_recorded_event_attributes":
            if _patch_id(event.marker_recorded_event_attributes) == FRAUD_SCREEN_PATCH:
                facts["path"] = "new"
        elif kind == "activity_task_scheduled_event_attributes":
            name = event.activity_task_scheduled_event_attributes.activity_type.name
            scheduled[event.event_id] = name
            if name == "ScreenFraud":
                facts["fraud_screens"] += 1
            key = {"ProcessPayment": "payments", "RefundPayment": "refunds", "ReleaseInventory": "releases"}.get(name)
            if key:
                facts[f"{key}_scheduled"] += 1
        elif kind == "activity_task_completed_event_attributes":
            attributes = event.activity_task_completed_event_attributes
            name = scheduled.get(attributes.scheduled_event_id)
            result = _payload_json(attributes.result.payloads)
            if name == "RefundPayment" and result.get("refunded") is True:
                facts["refunds_done"] += 1
            elif name == "ReleaseInventory" and int(result.get("released") or 0) > 0:
                facts["releases_done"] += 1
        elif kind == "activity_task_started_event_attributes":
            # Only the last attempt is recorded; its number tells how many came before.
            facts["activity_retries"] += max(0, event.activity_task_started_event_attributes.attempt - 1)
        elif kind == "workflow_task_failed_event_attributes":
            facts["workflow_task_failures"] += 1
            if event.workflow_task_failed_event_attributes.cause == NON_DETERMINISTIC_CAUSE:
                facts["nondeterminism_failures"] += 1
        elif kind == "workflow_task_timed_out_event_attributes":
            facts["workflow_task_timeouts"] += 1
    return facts


def _history_troubles(history) -> list[dict]:
    """The traces faults leave in a history, one row each, with the event's time:

    - workflow_task_failed, by cause (WorkflowTaskFailedCause without its prefix);
    - workflow_task_timed_out, by timeout type (SCHEDULE_TO_START: a sticky queue whose worker
      died; START_TO_CLOSE: a task taken and never answered);
    - activity_timed_out: an activity whose last attempt timed out (retries exhausted);
    - activity_attempt_timed_out: an activity retried after an attempt timed out. Only the last
      attempt is in the history, and its `last_failure` says how the one before it ended; the row
      carries the time that last attempt started, right after the timeout (plus the retry interval).
    """
    from temporalio.api.enums.v1 import TimeoutType, WorkflowTaskFailedCause

    def short(name: str, prefix: str) -> str:
        return name[len(prefix):] if name.startswith(prefix) else name

    scheduled: dict[int, str] = {}
    rows: list[dict] = []
    for event in history.events:
        kind = event.WhichOneof("attributes")
        at = event.event_time.ToMilliseconds()
        if kind == "activity_task_scheduled_event_attributes":
            scheduled[event.event_id] = event.activity_task_scheduled_event_attributes.activity_type.name
        elif kind == "workflow_task_failed_event_attributes":
            cause = WorkflowTaskFailedCause.Name(event.workflow_task_failed_event_attributes.cause)
            rows.append({"event": "workflow_task_failed", "detail": short(cause, "WORKFLOW_TASK_FAILED_CAUSE_"),
                         "activity": "", "attempt": "", "event_ms": at})
        elif kind == "workflow_task_timed_out_event_attributes":
            timeout = TimeoutType.Name(event.workflow_task_timed_out_event_attributes.timeout_type)
            rows.append({"event": "workflow_task_timed_out", "detail": short(timeout, "TIMEOUT_TYPE_"),
                         "activity": "", "attempt": "", "event_ms": at})
        elif kind == "activity_task_timed_out_event_attributes":
            attributes = event.activity_task_timed_out_event_attributes
            timeout = TimeoutType.Name(attributes.failure.timeout_failure_info.timeout_type)
            rows.append({"event": "activity_timed_out", "detail": short(timeout, "TIMEOUT_TYPE_"),
                         "activity": scheduled.get(attributes.scheduled_event_id, "?"), "attempt": "",
                         "event_ms": at})
        elif kind == "activity_task_started_event_attributes":
            attributes = event.activity_task_started_event_attributes
            if attributes.attempt > 1 and attributes.last_failure.HasField("timeout_failure_info"):
                timeout = TimeoutType.Name(attributes.last_failure.timeout_failure_info.timeout_type)
                rows.append({"event": "activity_attempt_timed_out", "detail": short(timeout, "TIMEOUT_TYPE_"),
                             "activity": scheduled.get(attributes.scheduled_event_id, "?"),
                             "attempt": attributes.attempt - 1, "event_ms": at})
    return rows


def _patch_id(marker) -> str | None:
    """The patch id of a `core_patch` marker (sdk-core's details: `patch-data` = {"id", "deprecated"})."""
    if marker.marker_name != "core_patch" or "patch-data" not in marker.details:
        return None
    return _payload_json(marker.details["patch-data"].payloads).get("id")


def _payload_json(payloads) -> dict:
    if not payloads:
        return {}
    try:
        value = json.loads(payloads[0].data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    load_args = commands.add_parser("load", help="submit the drill's orders through the API")
    load_args.add_argument("--api", required=True, help="base URL of order-api")
    load_args.add_argument("--orders", type=int, required=True)
    load_args.add_argument("--seconds", type=float, required=True, help="spread the submissions over this long")
    load_args.add_argument("--prefix", required=True, help="order ids are PREFIX-0001 ...")
    load_args.add_argument("--seed", type=int, default=7)
    load_args.add_argument("--max-payment", default="10000.00", help="PAYMENT_MAX_AMOUNT of the worker")
    load_args.add_argument("--concurrency", type=int, default=32)
    load_args.add_argument("--progress", required=True, help="file holding the number submitted so far")
    load_args.add_argument("--out", required=True, help="CSV: one row per order")
    load_args.add_argument("--summary", required=True, help="JSON: counts of answers and retries")

    status_args = commands.add_parser("statuses", help="read every accepted order's status through the API")
    status_args.add_argument("--api", required=True, help="base URL of order-api")
    status_args.add_argument("--orders-csv", required=True, help="the CSV written by load")
    status_args.add_argument("--out", required=True, help="CSV: one row per order")

    history_args = commands.add_parser("histories", help="read the drill's workflows from Temporal")
    history_args.add_argument("--address", required=True)
    history_args.add_argument("--namespace", default="default")
    history_args.add_argument("--task-queue", required=True)
    history_args.add_argument("--out", required=True, help="CSV: one row per workflow")
    history_args.add_argument("--troubles-out", required=True, help="CSV: one row per fault trace in a history")

    abandoned_args = commands.add_parser("abandoned", help="activity attempts still started by an exited worker")
    abandoned_args.add_argument("--address", required=True)
    abandoned_args.add_argument("--namespace", default="default")
    abandoned_args.add_argument("--task-queue", required=True)
    abandoned_args.add_argument("--pid", type=int, required=True, help="the exited worker's pid (identity pid@host)")
    abandoned_args.add_argument("--replica", type=int, required=True)
    abandoned_args.add_argument("--out", required=True, help="CSV (no header) the rows are appended to")

    args = parser.parse_args()
    if args.command == "load":
        return load(args)
    if args.command == "statuses":
        return statuses(args)
    code = asyncio.run(histories(args) if args.command == "histories" else abandoned(args))
    # The Temporal SDK's runtime threads may still hold the GIL machinery while the interpreter
    # finalizes, which can abort the process after the work is done: leave without finalizing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    sys.exit(main())
