"""The Temporal Python SDK peer of `order-worker`, for Benchmarks/orders.sh.

OrderWorkflow (CreateOrder -> CheckInventory -> ProcessPayment -> SendNotification, with the
cancelOrder signal, the getStatus query and compensation on failure) and its activities, with the
same names, JSON payloads, retry policy and SQL effects (statements and transactions) as
Sources/OrderWorker and Sources/OrderStore, so one load driver serves both workers and the
benchmark compares the workers, not the work. Configured by the environment variables of docs/configuration.md.
Prints "order_worker.py: polling <task queue>" once the worker runs; stops on SIGTERM/SIGINT.
"""

import asyncio
import dataclasses
import hashlib
import json
import logging
import os
import random
import signal
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit
from decimal import Decimal

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    import psycopg

BUSINESS_FAILURES = ["InvalidProduct", "InsufficientInventory", "PaymentDeclined", "InvalidOrder"]
ALLOWED_NEXT = {
    "pending": {"created", "failed", "cancelled"},
    "created": {"inventory_reserved", "failed", "cancelled"},
    "inventory_reserved": {"payment_processed", "failed", "cancelled"},
    "payment_processed": {"completed", "failed", "cancelled"},
}
KIND_STATUS = {"order_completed": "completed", "order_failed": "failed", "order_cancelled": "cancelled"}


def env(name, default):
    return os.environ.get(name) or default


# ---------------------------------------------------------------------------------------------
# Workflow


@dataclasses.dataclass(frozen=True)
class ActivityPolicy:
    max_attempts: int
    initial_interval_ms: int

    def retry(self, unlimited=False):
        return RetryPolicy(
            initial_interval=timedelta(milliseconds=self.initial_interval_ms),
            backoff_coefficient=2.0,
            maximum_interval=timedelta(seconds=30),
            maximum_attempts=0 if unlimited else self.max_attempts,
            non_retryable_error_types=BUSINESS_FAILURES,
        )


# Read once at import (the workflow sandbox re-imports this module with the same environment).
POLICY = ActivityPolicy(
    int(env("ACTIVITY_MAX_ATTEMPTS", "5")), int(env("ACTIVITY_INITIAL_INTERVAL_MS", "1000"))
)


class OrderCancelled(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@workflow.defn(name="OrderWorkflow")
class OrderWorkflow:
    def __init__(self):
        self.order_id = None
        self.status = "pending"
        self.step = None
        self.failure_reason = None
        self.cancel_reason = None
        self.settling = False

    @workflow.query(name="getStatus")
    def get_status(self):
        return {
            "order_id": self.order_id,
            "status": self.status,
            "step": self.step,
            "attempt": 1,
            "failure_reason": self.failure_reason,
        }

    @workflow.signal(name="cancelOrder")
    def cancel_order(self, request=None):
        if self.status in ("completed", "failed", "cancelled") or self.settling or self.cancel_reason:
            return
        reason = ((request or {}).get("reason") or "").strip()
        self.cancel_reason = reason or "cancelled on request"

    async def _activity(self, name, arg, compensation=False):
        self.step = name
        return await workflow.execute_activity(
            name,
            arg,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=POLICY.retry(unlimited=compensation),
        )

    def _check_cancel(self):
        if self.cancel_reason:
            raise OrderCancelled(self.cancel_reason)

    async def _tracked(self, compensations, name, step):
        """The compensation is owed unless the step failed with a business failure (rolled back)."""
        try:
            result = await step
        except ActivityError as error:
            cause = error.cause
            if not (isinstance(cause, ApplicationError) and cause.type in BUSINESS_FAILURES):
                compensations.append(name)
            raise
        compensations.append(name)
        return result

    @workflow.run
    async def run(self, order):
        self.order_id = order.get("order_id") or workflow.info().workflow_id
        order = {**order, "order_id": self.order_id}
        info = workflow.info()
        compensations = []
        try:
            self._check_cancel()
            created = await self._activity(
                "CreateOrder",
                {"order": order, "workflow_id": info.workflow_id, "run_id": info.run_id},
            )
            self.status = "created"
            self._check_cancel()
            await self._tracked(
                compensations,
                "ReleaseInventory",
                self._activity("CheckInventory", {"order_id": self.order_id}),
            )
            self.status = "inventory_reserved"
            self._check_cancel()
            payment = await self._tracked(
                compensations,
                "RefundPayment",
                self._activity(
                    "ProcessPayment", {"order_id": self.order_id, "amount": created["total"]}
                ),
            )
            self.status = "payment_processed"
            self._check_cancel()
            await self._activity("SendNotification", self._notice(order, "order_completed", created))
            self.status = "completed"
            workflow.logger.info("order completed")
            return {
                "order_id": self.order_id,
                "status": "completed",
                "total": created["total"],
                "transaction_id": payment["transaction_id"],
            }
        except OrderCancelled as cancellation:
            await self._settle(order, compensations, cancellation.reason, "order_cancelled")
            self.status = "cancelled"
            return {
                "order_id": self.order_id,
                "status": "cancelled",
                "reason": cancellation.reason,
                "refunded": "RefundPayment" in compensations,
                "inventory_released": "ReleaseInventory" in compensations,
            }
        except ActivityError as error:
            cause = error.cause if isinstance(error.cause, ApplicationError) else None
            failure_type = cause.type if cause else "ActivityError"
            message = cause.message if cause else str(error)
            await self._settle(order, compensations, f"{failure_type}: {message}", "order_failed")
            self.status = "failed"
            raise ApplicationError(message, type=failure_type, non_retryable=True)

    async def _settle(self, order, compensations, reason, kind):
        self.settling = True
        self.failure_reason = reason
        for name in reversed(compensations):
            await self._activity(name, {"order_id": self.order_id}, compensation=True)
        notice = self._notice(order, kind, None, reason)
        await self._activity("SendNotification", notice, compensation=True)

    def _notice(self, order, kind, created, reason=None):
        if kind == "order_completed":
            message = f"Your order {self.order_id} is confirmed: {created['total']:.2f} charged."
        elif kind == "order_cancelled":
            message = f"Your order {self.order_id} was cancelled: {reason}"
        else:
            message = f"Your order {self.order_id} could not be processed: {reason}"
        return {
            "order_id": self.order_id,
            "customer_id": order["customer_id"],
            "kind": kind,
            "channel": "email",
            "message": message,
            "reason": reason,
        }


# ---------------------------------------------------------------------------------------------
# Activities: one transaction each (two for ProcessPayment), the same statements as OrderStore.


class BusinessFailure(Exception):
    def __init__(self, failure_type, message):
        super().__init__(message)
        self.failure_type = failure_type


def business(failure_type, message):
    return ApplicationError(message, type=failure_type, non_retryable=True)


def transition(current, target):
    if target not in ALLOWED_NEXT.get(current, set()):
        raise business("InvalidOrder", f"illegal transition from {current} to {target}")
    return target


def amount_json(value):
    """Money goes over the wire as a JSON number with at most two decimals."""
    return float(Decimal(value).quantize(Decimal("0.01")))


class Pool:
    """A fixed set of autocommit connections handed out one caller at a time (as PostgresPool).
    A connection that broke (server restart) is replaced when it is next taken."""

    def __init__(self, size):
        self.size = size
        self.idle = asyncio.Queue()
        self.conninfo = psycopg.conninfo.make_conninfo(
            host=env("POSTGRES_HOST", "localhost"),
            port=env("POSTGRES_PORT", "5432"),
            user=env("POSTGRES_USER", "orderflow"),
            password=env("POSTGRES_PASSWORD", "orderflow123"),
            dbname=env("POSTGRES_DB", "orderflow"),
        )

    async def open(self):
        for _ in range(self.size):
            self.idle.put_nowait(await self.connect())

    async def connect(self):
        return await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)

    async def take(self):
        connection = await self.idle.get()
        if connection is None or connection.closed:
            try:
                connection = await self.connect()
            except BaseException:
                self.idle.put_nowait(None)
                raise
        return connection

    async def transaction(self, body):
        connection = await self.take()
        try:
            async with connection.transaction():
                return await body(connection.cursor())
        finally:
            self.idle.put_nowait(connection)

    async def query(self, sql, params):
        connection = await self.take()
        try:
            return await (await connection.execute(sql, params)).fetchall()
        finally:
            self.idle.put_nowait(connection)


async def lock_order(cursor, order_id):
    await cursor.execute("SELECT status, total FROM orders WHERE id = %s FOR UPDATE", (order_id,))
    return await cursor.fetchone()


async def lock_existing_order(cursor, order_id):
    row = await lock_order(cursor, order_id)
    if row is None:
        raise business("InvalidOrder", f"order {order_id} does not exist")
    return row


async def set_status(cursor, order_id, status):
    await cursor.execute(
        "UPDATE orders SET status = %s, updated_at = now() WHERE id = %s", (status, order_id)
    )


class StatusPublisher:
    """The live status feed, as RedisOrderStatusPublisher: each change as JSON (sorted keys, fractional
    ISO 8601 time) PUBLISHed on one connection, best effort (a failure drops the connection and the change).
    RESP is spoken here: the venv has no Redis client."""

    CHANNEL = b"orderflow:order-status"

    def __init__(self, url):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 6379
        self.lock = asyncio.Lock()
        self.reader = self.writer = None

    async def publish(self, order_id, status, step, failure_reason=None):
        change = {"order_id": order_id, "status": status, "step": step}
        if failure_reason is not None:
            change["failure_reason"] = failure_reason
        now = datetime.now(timezone.utc)
        change["updated_at"] = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
        body = json.dumps(change, sort_keys=True, separators=(",", ":")).encode()
        command = b"*3\r\n$7\r\nPUBLISH\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (
            len(self.CHANNEL), self.CHANNEL, len(body), body)
        async with self.lock:
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.writer.write(command)
                await self.writer.drain()
                await self.reader.readline()  # :<subscribers>
            except OSError:
                self.writer = None


class NoStatusPublisher:
    async def publish(self, order_id, status, step, failure_reason=None):
        pass


class OrderActivities:
    def __init__(self, pool, feed):
        self.pool = pool
        self.feed = feed
        self.max_amount = Decimal(env("PAYMENT_MAX_AMOUNT", "10000.00"))
        self.failure_rate = float(env("PAYMENT_FAILURE_RATE", "0.0"))
        self.delay = int(env("PAYMENT_DELAY_MS", "0")) / 1000
        self.logger = logging.getLogger("order-worker")

    @activity.defn(name="CreateOrder")
    async def create_order(self, input):
        order = input["order"]
        order_id = order["order_id"]

        async def body(cursor):
            await cursor.execute(
                """
                INSERT INTO orders (id, customer_id, status, workflow_id, run_id)
                VALUES (%s, %s, 'pending', %s, %s)
                ON CONFLICT (id) DO UPDATE
                   SET workflow_id = COALESCE(orders.workflow_id, EXCLUDED.workflow_id),
                       run_id = COALESCE(orders.run_id, EXCLUDED.run_id)
                """,
                (order_id, order["customer_id"], input["workflow_id"], input["run_id"]),
            )
            status, total = await lock_existing_order(cursor, order_id)
            if status != "pending":
                if total is None:
                    raise business("InvalidOrder", f"illegal transition from {status} to created")
                return total
            lines = {}
            for index, item in enumerate(order.get("items") or []):
                quantity = item["quantity"]
                if not 1 <= quantity <= 1000:
                    return BusinessFailure(
                        "InvalidOrder", f"items[{index}].quantity {quantity} is outside 1...1000"
                    )
                lines[item["product_id"]] = lines.get(item["product_id"], 0) + quantity
            if not lines:
                return BusinessFailure("InvalidOrder", f"order {order_id} has no items")
            await cursor.execute(
                "SELECT id, name, price, stock FROM products WHERE id = ANY(%s::text[])",
                (list(lines),),
            )
            catalog = {row[0]: row for row in await cursor.fetchall()}
            unknown = [product for product in lines if product not in catalog]
            if unknown:
                return BusinessFailure("InvalidProduct", f"unknown product {', '.join(unknown)}")
            total = sum(catalog[product][2] * quantity for product, quantity in lines.items())
            if total > Decimal("9999999999.99"):
                return BusinessFailure("InvalidOrder", f"order total {total} is too large")
            for product, quantity in lines.items():
                await cursor.execute(
                    """
                    INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price)
                    VALUES (%s, %s, %s, %s, %s)
                    """,
                    (order_id, product, catalog[product][1], quantity, catalog[product][2]),
                )
            await cursor.execute(
                "UPDATE orders SET status = 'created', total = %s, updated_at = now() WHERE id = %s",
                (total, order_id),
            )
            return total

        # A business failure is raised after COMMIT, which then kept only the pending row.
        outcome = await self.pool.transaction(body)
        if isinstance(outcome, BusinessFailure):
            raise business(outcome.failure_type, str(outcome))
        await self.feed.publish(order_id, "created", "CreateOrder")
        return {"order_id": order_id, "total": amount_json(outcome)}

    @activity.defn(name="CheckInventory")
    async def check_inventory(self, input):
        order_id = input["order_id"]

        async def body(cursor):
            status, _ = await lock_existing_order(cursor, order_id)
            await cursor.execute(
                "SELECT 1 FROM inventory_reservations WHERE order_id = %s LIMIT 1", (order_id,)
            )
            if await cursor.fetchone():
                return
            next_status = transition(status, "inventory_reserved")
            await cursor.execute(
                "SELECT product_id, quantity FROM order_items WHERE order_id = %s ORDER BY product_id",
                (order_id,),
            )
            items = await cursor.fetchall()
            if not items:
                raise business("InvalidOrder", f"order {order_id} has no items to reserve")
            shortfalls = []
            for product, quantity in items:
                await cursor.execute(
                    "UPDATE products SET stock = stock - %s WHERE id = %s AND stock >= %s",
                    (quantity, product, quantity),
                )
                if cursor.rowcount == 0:
                    await cursor.execute("SELECT stock FROM products WHERE id = %s", (product,))
                    row = await cursor.fetchone()
                    available = row[0] if row else 0
                    shortfalls.append(f"{product} (requested {quantity}, available {available})")
                    continue
                await cursor.execute(
                    "INSERT INTO inventory_reservations (order_id, product_id, quantity) VALUES (%s, %s, %s)",
                    (order_id, product, quantity),
                )
            if shortfalls:
                raise business(
                    "InsufficientInventory", f"insufficient stock for {', '.join(shortfalls)}"
                )
            await set_status(cursor, order_id, next_status)

        await self.pool.transaction(body)
        await self.feed.publish(order_id, "inventory_reserved", "CheckInventory")
        return {"order_id": order_id, "reserved": True}

    @activity.defn(name="ProcessPayment")
    async def process_payment(self, input):
        order_id = input["order_id"]
        amount = Decimal(str(input["amount"])).quantize(Decimal("0.01"))
        existing = await self.pool.query(
            "SELECT transaction_id FROM payments WHERE order_id = %s", (order_id,)
        )
        if existing:
            await self.feed.publish(order_id, "payment_processed", "ProcessPayment")
            return {"order_id": order_id, "transaction_id": existing[0][0], "amount": input["amount"]}
        transaction_id = await self.charge(order_id, amount)

        async def body(cursor):
            status, _ = await lock_existing_order(cursor, order_id)
            await cursor.execute(
                "SELECT transaction_id FROM payments WHERE order_id = %s", (order_id,)
            )
            row = await cursor.fetchone()
            if row:
                return row[0]
            next_status = transition(status, "payment_processed")
            await cursor.execute(
                """
                INSERT INTO payments (order_id, amount, status, transaction_id)
                VALUES (%s, %s, 'completed', %s)
                """,
                (order_id, amount, transaction_id),
            )
            await set_status(cursor, order_id, next_status)
            return transaction_id

        stored = await self.pool.transaction(body)
        await self.feed.publish(order_id, "payment_processed", "ProcessPayment")
        return {"order_id": order_id, "transaction_id": stored, "amount": input["amount"]}

    async def charge(self, order_id, amount):
        if amount > self.max_amount:
            raise business(
                "PaymentDeclined",
                f"payment of {amount} declined: above the limit of {self.max_amount}",
            )
        if self.delay > 0:
            await asyncio.sleep(self.delay)
        if self.failure_rate > 0 and random.random() < self.failure_rate:
            raise ApplicationError(
                "payment provider temporarily unavailable (simulated)", type="PaymentUnavailable"
            )
        return "txn-" + hashlib.sha256(order_id.encode()).hexdigest()[:16]

    @activity.defn(name="SendNotification")
    async def send_notification(self, input):
        order_id, kind = input["order_id"], input["kind"]
        target = KIND_STATUS[kind]

        async def body(cursor):
            if target != "completed" and input.get("customer_id"):
                await cursor.execute(
                    """
                    INSERT INTO orders (id, customer_id, status) VALUES (%s, %s, 'pending')
                    ON CONFLICT (id) DO NOTHING
                    """,
                    (order_id, input["customer_id"]),
                )
            row = await lock_order(cursor, order_id)
            status = None
            if row is not None:
                status = target
                if row[0] != target:
                    transition(row[0], target)
                    await cursor.execute(
                        """
                        UPDATE orders SET status = %s, failure_reason = COALESCE(%s, failure_reason),
                               updated_at = now() WHERE id = %s
                        """,
                        (target, input.get("reason"), order_id),
                    )
            await cursor.execute(
                """
                INSERT INTO notifications (order_id, kind, channel, message)
                VALUES (%s, %s, %s, %s)
                ON CONFLICT (order_id, kind) DO NOTHING
                """,
                (order_id, kind, input.get("channel") or "email", input["message"]),
            )
            return status

        status = await self.pool.transaction(body)
        self.logger.info("notification sent order_id=%s kind=%s", order_id, kind)
        if status is not None:
            reason = None if status == "completed" else input.get("reason")
            await self.feed.publish(order_id, status, "SendNotification", reason)
        return {"order_id": order_id, "status": status}

    @activity.defn(name="ReleaseInventory")
    async def release_inventory(self, input):
        order_id = input["order_id"]

        async def body(cursor):
            if await lock_order(cursor, order_id) is None:
                return 0
            await cursor.execute(
                """
                SELECT product_id, quantity FROM inventory_reservations
                 WHERE order_id = %s AND released_at IS NULL ORDER BY product_id FOR UPDATE
                """,
                (order_id,),
            )
            reservations = await cursor.fetchall()
            for product, quantity in reservations:
                await cursor.execute(
                    "UPDATE products SET stock = stock + %s WHERE id = %s", (quantity, product)
                )
                await cursor.execute(
                    "UPDATE inventory_reservations SET released_at = now() WHERE order_id = %s AND product_id = %s",
                    (order_id, product),
                )
            if reservations:
                await cursor.execute("UPDATE orders SET updated_at = now() WHERE id = %s", (order_id,))
            return len(reservations)

        return {"order_id": order_id, "released": await self.pool.transaction(body)}

    @activity.defn(name="RefundPayment")
    async def refund_payment(self, input):
        order_id = input["order_id"]

        async def body(cursor):
            if await lock_order(cursor, order_id) is None:
                return False
            await cursor.execute(
                """
                UPDATE payments SET status = 'refunded', refunded_at = now()
                 WHERE order_id = %s AND refunded_at IS NULL
                """,
                (order_id,),
            )
            refunded = cursor.rowcount > 0
            if refunded:
                await cursor.execute("UPDATE orders SET updated_at = now() WHERE id = %s", (order_id,))
            return refunded

        return {"order_id": order_id, "refunded": await self.pool.transaction(body)}


# ---------------------------------------------------------------------------------------------


async def main():
    logging.basicConfig(
        level=env("LOG_LEVEL", "info").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    task_queue = env("TEMPORAL_TASK_QUEUE", "order-processing")
    pool = Pool(int(env("POSTGRES_POOL_SIZE", "10")))  # as order-worker's POSTGRES_POOL_SIZE
    await pool.open()
    redis_url = os.environ.get("REDIS_URL")
    activities = OrderActivities(pool, StatusPublisher(redis_url) if redis_url else NoStatusPublisher())
    runtime = None
    if os.environ.get("PEER_METRICS_BIND"):
        # The SDK core's own counters (temporal_request, temporal_sticky_cache_size, ...), for Benchmarks/shipped.sh.
        from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

        runtime = Runtime(
            telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=os.environ["PEER_METRICS_BIND"]))
        )
    client = await Client.connect(
        env("TEMPORAL_HOST_PORT", "localhost:7233"),
        namespace=env("TEMPORAL_NAMESPACE", "default"),
        runtime=runtime,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    worker = Worker(
        client,
        task_queue=task_queue,
        workflows=[OrderWorkflow],
        activities=[
            activities.create_order,
            activities.check_inventory,
            activities.process_payment,
            activities.send_notification,
            activities.release_inventory,
            activities.refund_payment,
        ],
        max_concurrent_activities=100,  # as TemporalBridge's WorkerOptions
        max_cached_workflows=1000,  # sticky cache on, as ours
    )
    async with worker:
        print(f"order_worker.py: polling {task_queue}", flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
