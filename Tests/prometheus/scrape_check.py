"""Checks what a real Prometheus scraped from order-worker and order-api (started by run.sh).

Creates ORDERS orders through the API, waits until each is completed, then asks Prometheus's HTTP
query API: temporal_workflow_completed rose by ORDERS, histogram_quantile over
temporal_activity_execution_latency answers a number, every series of the worker's metrics
reference is there, and the API's series too.
"""

import json
import math
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PROMETHEUS = os.environ["PROMETHEUS_URL"]
API = os.environ["API_URL"]
WORKER = os.environ["WORKER_METRICS_URL"]
OUT = os.environ["OUT"]
ORDERS = int(os.environ.get("ORDERS", "5"))
TASK_QUEUE = os.environ["TEMPORAL_TASK_QUEUE"]

# Temporal's SDK metrics reference; histograms are checked through their _bucket series.
WORKER_SERIES = [
    "temporal_request", "temporal_request_failure", "temporal_request_latency_bucket",
    "temporal_long_request", "temporal_long_request_failure", "temporal_long_request_latency_bucket",
    "temporal_workflow_task_queue_poll_succeed", "temporal_workflow_task_queue_poll_empty",
    "temporal_workflow_task_schedule_to_start_latency_bucket", "temporal_workflow_task_execution_latency_bucket",
    "temporal_workflow_task_replay_latency_bucket", "temporal_workflow_task_execution_failed",
    "temporal_activity_schedule_to_start_latency_bucket", "temporal_activity_execution_latency_bucket",
    "temporal_activity_execution_failed",
    "temporal_sticky_cache_hit", "temporal_sticky_cache_miss", "temporal_sticky_cache_size",
    "temporal_worker_task_slots_available", "temporal_worker_task_slots_used",
    "temporal_workflow_completed", "temporal_workflow_failed", "temporal_workflow_canceled",
    "temporal_workflow_endtoend_latency_bucket", "temporal_num_pollers",
    "orderflow_orders_finished_total", "orderflow_payments_total", "orderflow_payment_amount_bucket",
    "orderflow_compensations_total",
]
API_SERIES = ["hb_requests", "http_server_request_duration_bucket", "orderflow_orders_created_total",
              "temporal_request"]


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def http(method, url, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def query(expression):
    url = f"{PROMETHEUS}/api/v1/query?" + urllib.parse.urlencode({"query": expression})
    _, body = http("GET", url)
    answer = json.loads(body)
    if answer.get("status") != "success":
        fail(f"query {expression!r}: {answer}")
    return answer["data"]["result"]


def scalar(expression):
    """The single value of an instant vector query, or None when it is empty."""
    result = query(expression)
    if not result:
        return None
    return float(result[0]["value"][1])


def wait(what, predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    fail(f"timed out after {seconds} s waiting for {what}")


def completed_count():
    selector = f'temporal_workflow_completed{{job="order-worker",task_queue="{TASK_QUEUE}"}}'
    return scalar(f"sum({selector}) or vector(0)")


def main():
    started = time.monotonic()
    wait("both targets up", lambda: scalar('sum(up{job=~"order-worker|order-api"})') == 2, 30)
    before = completed_count()
    print(f"temporal_workflow_completed before: {before}")

    ids = []
    for index in range(ORDERS):
        order = {"customer_id": "prometheus-test", "items": [{"product_id": "PROD-005", "product_name": "Gaming Mouse",
                                                               "quantity": 1, "unit_price": 89.99}]}
        status, body = http("POST", f"{API}/api/orders", order)
        if status != 201:
            fail(f"POST /api/orders answered {status}: {body!r}")
        ids.append(json.loads(body)["order_id"])

    def all_completed():
        for order_id in ids:
            _, body = http("GET", f"{API}/api/orders/{order_id}/status")
            state = json.loads(body)
            if state["status"] in ("failed", "cancelled"):
                fail(f"order {order_id} ended {state['status']}: {state.get('failure_reason')}")
            if state["status"] != "completed":
                return False
        return True

    wait(f"{ORDERS} orders completed", all_completed, 60)
    after = wait(f"temporal_workflow_completed to rise by {ORDERS}",
                 lambda: (lambda value: value if value >= before + ORDERS else None)(completed_count()), 20)
    if after != before + ORDERS:
        fail(f"temporal_workflow_completed went from {before} to {after}, expected +{ORDERS}")
    print(f"temporal_workflow_completed after:  {after} (+{ORDERS})")

    # Over the cumulative buckets, not rate(...[1m]): the series are born with the run's activities,
    # often all done before their second scrape, and a rate with no increase gives NaN.
    quantile_query = ("histogram_quantile(0.5, sum("
                      f'temporal_activity_execution_latency_bucket{{task_queue="{TASK_QUEUE}"}}) by (le))')

    def finite_median():
        value = scalar(quantile_query)
        return value if value is not None and math.isfinite(value) and value > 0 else None

    median = wait("a median activity execution latency", finite_median, 10)
    if not math.isfinite(median) or median <= 0:
        fail(f"{quantile_query} = {median}, expected a positive number of seconds")
    print(f"{quantile_query} = {median:.4f} s")

    def names(job):
        return {entry["metric"]["__name__"] for entry in query(f'group by (__name__) ({{job="{job}"}})')}

    for job, expected in (("order-worker", WORKER_SERIES), ("order-api", API_SERIES)):
        missing = sorted(set(expected) - names(job))
        if missing:
            fail(f"series missing from the {job} scrape: {missing}")
        print(f"{job}: all {len(expected)} expected series scraped")

    finished = scalar(f'sum(orderflow_orders_finished_total{{job="order-worker",outcome="completed"}})')
    if finished is None or finished < ORDERS:
        fail(f"orderflow_orders_finished_total{{outcome=completed}} = {finished}, expected at least {ORDERS}")
    _, scrape = http("GET", f"{WORKER}/metrics")
    with open(os.path.join(OUT, "order-worker.metrics.txt"), "wb") as file:
        file.write(scrape)
    print(f"prometheus test passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
