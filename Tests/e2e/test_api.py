"""End to end: every route of docs/api.md against the real order-api + order-worker
on PostgreSQL and Temporal (started by run.sh; the worker runs with PAYMENT_DELAY_MS so an
order stays in flight long enough to be watched and cancelled)."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import yaml

from conftest import (
    BASE_URL,
    TERMINAL,
    assert_problem,
    http,
    make_product,
    order_request,
    psql,
    status_of,
    stock,
    temporal_cli,
    unique,
    wait_for_status,
    wait_until,
    workflow_runs,
)

# ---- create → completed ------------------------------------------------------------------


@pytest.fixture(scope="module")
def completed_order():
    """One order created through the API and watched until the database says completed."""
    product = make_product(price="12.34", stock=50)
    order_id = unique("e2e-happy")
    reply = http("POST", "/api/orders", order_request(product, quantity=3, order_id=order_id, unit_price=1.0))
    assert reply.status == 201, reply
    final, seen = wait_for_status(order_id, "completed", source="database")
    return {"order_id": order_id, "product": product, "created": reply, "final": final, "seen": seen}


def test_create_answers_201_with_the_started_workflow(completed_order):
    reply = completed_order["created"]
    body = reply.json
    assert reply.content_type == "application/json"
    assert body["order_id"] == completed_order["order_id"]
    assert body["workflow_id"] == completed_order["order_id"], "workflow id = order id"
    assert body["run_id"]
    assert body["status"] == "pending"
    assert reply.headers["Location"] == f"/api/orders/{completed_order['order_id']}"
    assert reply.headers["X-Request-Id"]


def test_status_comes_from_the_workflow_while_running_then_from_the_database(completed_order):
    seen = completed_order["seen"]
    sources = [source for _, source in seen]
    running = [pair for pair in seen if pair[0] not in TERMINAL]
    assert ("payment_processed", "workflow") in seen or ("inventory_reserved", "workflow") in seen, seen
    assert all(source == "workflow" for _, source in running if _ != "pending"), seen
    assert sources[-1] == "database" and seen[-1][0] == "completed", seen
    final = completed_order["final"]
    assert set(final) >= {"order_id", "status", "step", "failure_reason", "updated_at", "source"}
    assert final["failure_reason"] is None
    assert final["updated_at"]


def test_a_started_workflow_really_ran_on_temporal(completed_order):
    code, out, err = temporal_cli("workflow", "describe", "--workflow-id", completed_order["order_id"])
    assert code == 0, err
    assert "COMPLETED" in out.upper(), out[:500]
    assert "OrderWorkflow" in out


def test_detail_has_items_payment_notifications_and_timestamps(completed_order):
    order_id = completed_order["order_id"]
    reply = http("GET", f"/api/orders/{order_id}")
    assert reply.status == 200, reply
    order = reply.json
    assert order["order_id"] == order_id
    assert order["customer_id"] == "cust-e2e"
    assert order["status"] == "completed"
    assert order["workflow_id"] == order_id
    assert order["run_id"] == completed_order["created"].json["run_id"]
    # Catalog prices are authoritative: 3 × 12.34, whatever the request said.
    assert Decimal(str(order["total"])) == Decimal("37.02")
    assert [(i["product_id"], i["quantity"], Decimal(str(i["unit_price"]))) for i in order["items"]] == [
        (completed_order["product"], 3, Decimal("12.34"))
    ]
    payment = order["payment"]
    assert payment and Decimal(str(payment["amount"])) == Decimal("37.02")
    assert payment["status"] == "completed" and payment["transaction_id"] and payment["refunded_at"] is None
    assert [n["kind"] for n in order["notifications"]] == ["order_completed"]
    assert order["created_at"] <= order["updated_at"]
    assert stock(completed_order["product"]) == 47


def test_repeated_order_id_answers_200_with_the_same_order(completed_order):
    order_id = completed_order["order_id"]
    again = http("POST", "/api/orders", order_request(completed_order["product"], quantity=3, order_id=order_id))
    assert again.status == 200, again
    assert again.json["order_id"] == order_id
    assert again.json["run_id"] == completed_order["created"].json["run_id"]
    assert again.json["status"] == "completed"
    assert len(workflow_runs(order_id)) == 1
    assert stock(completed_order["product"]) == 47, "nothing was reserved twice"


def test_repeated_order_id_while_running_answers_200_with_the_same_run():
    product = make_product(stock=10)
    order_id = unique("e2e-repeat")
    first = http("POST", "/api/orders", order_request(product, order_id=order_id))
    second = http("POST", "/api/orders", order_request(product, order_id=order_id))
    assert (first.status, second.status) == (201, 200), (first, second)
    assert second.json["run_id"] == first.json["run_id"]
    wait_for_status(order_id, "completed", source="database")
    assert stock(product) == 9


def test_idempotency_key_answers_200_with_the_same_order():
    product = make_product(stock=10)
    key = unique("key")
    first = http("POST", "/api/orders", order_request(product, customer_id="cust-idem"), {"Idempotency-Key": key})
    second = http("POST", "/api/orders", order_request(product, customer_id="cust-idem"), {"Idempotency-Key": key})
    assert (first.status, second.status) == (201, 200), (first, second)
    assert second.json["order_id"] == first.json["order_id"]
    assert second.json["run_id"] == first.json["run_id"]
    # The same key from another customer is another order.
    other = http("POST", "/api/orders", order_request(product, customer_id="cust-other"), {"Idempotency-Key": key})
    assert other.status == 201, other
    assert other.json["order_id"] != first.json["order_id"]
    for reply in (first, other):
        wait_for_status(reply.json["order_id"], "completed", source="database")
    assert stock(product) == 8


@pytest.mark.parametrize("by", ["order_id", "idempotency_key"])
def test_twenty_concurrent_identical_requests_start_exactly_one_workflow(by):
    product = make_product(stock=100)
    order_id = unique("e2e-burst") if by == "order_id" else None
    headers = {"Idempotency-Key": unique("burst-key")} if by == "idempotency_key" else {}
    body = order_request(product, quantity=2, customer_id="cust-burst", order_id=order_id)
    gate = threading.Barrier(20)

    def send(_):
        gate.wait()
        return http("POST", "/api/orders", body, headers)

    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(send, range(20)))

    statuses = sorted(reply.status for reply in replies)
    assert statuses == [200] * 19 + [201], [r for r in replies if r.status not in (200, 201)] or statuses
    assert len({reply.json["order_id"] for reply in replies}) == 1
    assert len({reply.json["run_id"] for reply in replies}) == 1
    order_id = replies[0].json["order_id"]
    wait_for_status(order_id, "completed", source="database")
    # Temporal's own record: one execution with this id, and the stock taken once.
    runs = wait_until(f"visibility of {order_id}", lambda: workflow_runs(order_id), timeout=30)
    assert len(runs) == 1, runs
    assert psql("SELECT count(*) FROM orders WHERE id = :'id';", id=order_id) == [["1"]]
    assert stock(product) == 98


# ---- list --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def five_orders():
    product = make_product(stock=100)
    ids = []
    for n in range(5):
        reply = http("POST", "/api/orders", order_request(product, customer_id="cust-list", order_id=unique(f"e2e-list{n}")))
        assert reply.status == 201, reply
        ids.append(reply.json["order_id"])
    for order_id in ids:
        wait_for_status(order_id, "completed", source="database")
    return ids


def all_pages(query, limit):
    orders, cursor, pages = [], None, 0
    while True:
        path = f"/api/orders?limit={limit}" + (f"&{query}" if query else "") + (f"&cursor={cursor}" if cursor else "")
        reply = http("GET", path)
        assert reply.status == 200, reply
        page = reply.json
        assert len(page["orders"]) <= limit
        orders += page["orders"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return orders, pages
        assert page["orders"], "a page with a next cursor has orders"
        assert pages < 1000


def test_list_is_newest_first_and_the_cursor_walks_every_order_once(five_orders):
    orders, pages = all_pages("", limit=2)
    ids = [order["order_id"] for order in orders]
    assert len(ids) == len(set(ids)), "no order twice across pages"
    created = [order["created_at"] for order in orders]
    assert created == sorted(created, reverse=True), "newest first"
    mine = [order_id for order_id in ids if order_id in five_orders]
    assert mine == list(reversed(five_orders))
    assert pages >= 3
    total = int(psql("SELECT count(*) FROM orders;")[0][0])
    assert len(ids) >= total - 5  # orders created meanwhile by other tests may land on page 1 after we read it


def test_list_limit_is_respected_and_defaults_to_20(five_orders):
    reply = http("GET", "/api/orders?limit=3")
    assert reply.status == 200 and len(reply.json["orders"]) == 3 and reply.json["next_cursor"]
    default = http("GET", "/api/orders").json
    assert len(default["orders"]) == min(20, int(psql("SELECT count(*) FROM orders;")[0][0]))
    assert http("GET", "/api/orders?limit=100").status == 200


def test_list_filters_by_status(five_orders):
    orders, _ = all_pages("status=completed", limit=50)
    assert orders and all(order["status"] == "completed" for order in orders)
    assert set(five_orders) <= {order["order_id"] for order in orders}
    pending = http("GET", "/api/orders?status=cancelled&limit=100").json["orders"]
    assert all(order["status"] == "cancelled" for order in pending)


@pytest.mark.parametrize(
    "query, field",
    [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=abc", "limit"),
        ("status=shipped", "status"),
        ("cursor=not-a-cursor", "cursor"),
    ],
)
def test_list_bad_parameters_are_400_naming_the_parameter(query, field):
    assert_problem(http("GET", f"/api/orders?{query}"), 400, fields=[field])


# ---- cancel ------------------------------------------------------------------------------


def test_cancel_while_paying_answers_202_and_the_order_ends_cancelled_with_stock_restored():
    product = make_product(price="5.00", stock=20)
    order_id = unique("e2e-cancel")
    assert http("POST", "/api/orders", order_request(product, quantity=3, order_id=order_id)).status == 201
    # The worker's PAYMENT_DELAY_MS keeps the order at inventory_reserved for a while.
    wait_for_status(order_id, "inventory_reserved", timeout=60)
    assert stock(product) == 17
    reply = http("POST", f"/api/orders/{order_id}/cancel", {"reason": "changed my mind"})
    assert reply.status == 202, reply
    assert reply.json == {"order_id": order_id, "status": "cancelling"}
    final, _ = wait_for_status(order_id, "cancelled", source="database")
    assert stock(product) == 20, "reserved stock is released"
    order = http("GET", f"/api/orders/{order_id}").json
    assert order["status"] == "cancelled"
    kinds = [n["kind"] for n in order["notifications"]]
    assert kinds == ["order_cancelled"], kinds
    if order["payment"] is not None:  # the signal landed while the payment was in flight
        assert order["payment"]["status"] == "refunded" and order["payment"]["refunded_at"]
    # A finished order cannot be cancelled again.
    assert_problem(http("POST", f"/api/orders/{order_id}/cancel"), 409, "order-already-terminal")


def test_cancel_without_a_body_is_accepted():
    product = make_product(stock=5)
    order_id = unique("e2e-cancel-nobody")
    assert http("POST", "/api/orders", order_request(product, order_id=order_id)).status == 201
    reply = http("POST", f"/api/orders/{order_id}/cancel")
    assert reply.status == 202, reply
    wait_for_status(order_id, "cancelled", source="database")
    assert stock(product) == 5


def test_cancel_of_a_completed_order_is_409(completed_order):
    problem = assert_problem(
        http("POST", f"/api/orders/{completed_order['order_id']}/cancel", {"reason": "too late"}),
        409, "order-already-terminal",
    )
    assert "completed" in problem["detail"]
    assert problem["order_status"] == "completed", problem
    assert status_of(completed_order["order_id"])["status"] == "completed"


@pytest.mark.parametrize(
    "body, content_type, status, field",
    [
        (b'{"reason": 42}', "application/json", 400, "reason"),
        (b'{"reason": ', "application/json", 400, "body"),
        (b"please", "text/plain", 415, "Content-Type"),
    ],
)
def test_cancel_bad_bodies(completed_order, body, content_type, status, field):
    reply = http("POST", f"/api/orders/{completed_order['order_id']}/cancel", body, {"Content-Type": content_type})
    assert_problem(reply, status, fields=[field])


# ---- unknown orders, failed orders -------------------------------------------------------


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("GET", "/status"), ("POST", "/cancel")])
def test_unknown_order_is_404(method, suffix):
    assert_problem(http(method, f"/api/orders/{unique('nobody')}{suffix}"), 404, "order-not-found")
    # An id that could never be an order id is unknown too (not a 400 or 5xx).
    assert_problem(http(method, f"/api/orders/bad%20id{suffix}"), 404, "order-not-found")


def test_a_problem_type_resolves_to_a_page_for_people():
    problem = assert_problem(http("GET", f"/api/orders/{unique('nobody')}"), 404, "order-not-found")
    page = http("GET", problem["type"])
    assert page.status == 200 and page.content_type == "text/html", page
    assert "<h1>Order not found</h1>" in page.text and "What to do" in page.text, page
    assert_problem(http("GET", "/problems/no-such-problem"), 404, "route-not-found")


def test_an_unknown_product_is_accepted_and_the_order_fails_invalid_product():
    order_id = unique("e2e-invalid")
    reply = http("POST", "/api/orders", order_request(unique("NO-SUCH-PRODUCT"), order_id=order_id))
    assert reply.status == 201, reply
    final, _ = wait_for_status(order_id, "failed", source="database")
    assert "InvalidProduct" in final["failure_reason"] or "product" in final["failure_reason"].lower(), final
    order = http("GET", f"/api/orders/{order_id}").json
    assert order["status"] == "failed" and order["failure_reason"]
    assert [n["kind"] for n in order["notifications"]] == ["order_failed"]
    assert order["payment"] is None
    code, out, _ = temporal_cli("workflow", "describe", "--workflow-id", order_id)
    assert code == 0 and "FAILED" in out.upper()
    assert_problem(http("POST", f"/api/orders/{order_id}/cancel"), 409, "order-already-terminal")


# ---- catalog, operations, documents --------------------------------------------------------


def test_products_lists_the_catalog_with_price_and_stock():
    mine = make_product(price="7.50", stock=42, name="E2E catalog check")
    reply = http("GET", "/api/products")
    assert reply.status == 200 and reply.content_type == "application/json", reply
    products = {product["id"]: product for product in reply.json["products"]}
    assert {"PROD-001", "PROD-002", "PROD-003", "PROD-004", "PROD-005"} <= set(products)
    assert products["PROD-001"]["name"] == "Laptop Dell XPS 13"
    assert Decimal(str(products["PROD-001"]["price"])) == Decimal("1299.99")
    assert products[mine] == {"id": mine, "name": "E2E catalog check", "price": 7.5, "stock": 42}


def test_healthz_and_readyz():
    health = http("GET", "/healthz")
    assert health.status == 200 and health.json == {"status": "ok"}
    ready = http("GET", "/readyz")
    assert ready.status == 200, ready
    assert ready.json["status"] == "ready"
    assert ready.json["checks"]["postgres"]["status"] == "up"
    assert ready.json["checks"]["temporal"]["status"] == "up"


def test_metrics_are_prometheus_text_with_the_api_series(completed_order):
    reply = http("GET", "/metrics")
    assert reply.status == 200 and reply.content_type == "text/plain", reply
    text = reply.text
    assert "# TYPE" in text
    created = [line for line in text.splitlines() if line.startswith("orderflow_orders_created_total")]
    assert created and float(created[0].split()[-1]) >= 1, created
    assert 'http_route="/api/orders"' in text
    assert "http_server_request_duration_bucket" in text


def test_openapi_document_describes_every_route():
    reply = http("GET", "/openapi.yaml")
    assert reply.status == 200 and reply.content_type == "application/yaml", reply
    document = yaml.safe_load(reply.body)
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    expected = {
        "/api/orders": {"post", "get"},
        "/api/orders/{id}": {"get"},
        "/api/orders/{id}/status": {"get"},
        "/api/orders/{id}/cancel": {"post"},
        "/api/products": {"get"},
        "/healthz": {"get"},
        "/readyz": {"get"},
        "/metrics": {"get"},
        "/openapi.yaml": {"get"},
        "/problems/{slug}": {"get"},
        "/": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))


def test_web_page_is_served():
    reply = http("GET", "/")
    assert reply.status == 200 and reply.content_type == "text/html", reply
    assert "<title>OrderFlow</title>" in reply.text
    for asset, kind in (("/app.js", "javascript"), ("/style.css", "text/css")):
        served = http("GET", asset)
        assert served.status == 200 and kind in served.content_type, (asset, served)


def test_unknown_route_is_404_problem_json():
    reply = http("GET", "/api/nothing-here")
    assert_problem(reply, 404, "route-not-found")
    assert reply.headers["X-Request-Id"]


def test_wrong_method_on_a_known_path_is_405_with_allow():
    reply = http("DELETE", "/api/orders")
    assert_problem(reply, 405, "method-not-allowed")
    assert set(reply.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_request_id_is_echoed():
    reply = http("GET", "/healthz", headers={"X-Request-Id": "e2e-trace.1"})
    assert reply.headers["X-Request-Id"] == "e2e-trace.1"


# ---- 400 / 413 / 415 shapes, and nothing reaches Temporal or the database -------------------


def assert_nothing_started(order_id):
    code, _, err = temporal_cli("workflow", "describe", "--workflow-id", order_id)
    assert code != 0 and "not found" in err.lower(), f"a workflow {order_id} exists: {err}"
    assert psql("SELECT count(*) FROM orders WHERE id = :'id';", id=order_id) == [["0"]]


def test_malformed_json_is_400():
    reply = http("POST", "/api/orders", b'{"customer_id": "c", "items": [', {"Content-Type": "application/json"})
    assert_problem(reply, 400, "malformed-json", fields=["body"])


def test_every_invalid_field_is_named_and_nothing_is_started():
    order_id = unique("e2e-bad")
    body = {
        "order_id": order_id,
        "customer_id": "has spaces!",
        "items": [
            {"product_id": "", "product_name": "x", "quantity": 0, "unit_price": 1.001},
            {"product_id": "PROD-001", "product_name": "x", "quantity": 1001, "unit_price": -1},
            {"product_id": "PROD-001", "product_name": "x", "quantity": 1.5, "unit_price": 1000000.01},
        ],
    }
    problem = assert_problem(
        http("POST", "/api/orders", body), 400, "invalid-request",
        fields=[
            "customer_id", "items[0].product_id", "items[0].quantity", "items[0].unit_price",
            "items[1].quantity", "items[1].unit_price", "items[2].quantity", "items[2].unit_price",
        ],
    )
    assert "customer_id" in problem["detail"]
    assert_nothing_started(order_id)


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda b: b.update(order_id="bad id!"), "order_id"),
        (lambda b: b.update(order_id="x" * 65), "order_id"),
        (lambda b: b.update(customer_id=""), "customer_id"),
        (lambda b: b.update(customer_id="c" * 65), "customer_id"),
        (lambda b: b.pop("customer_id"), "customer_id"),
        (lambda b: b.update(items=[]), "items"),
        (lambda b: b.update(items=b["items"] * 101), "items"),
        (lambda b: b["items"][0].update(product_id="p" * 65), "items[0].product_id"),
        (lambda b: b["items"][0].update(quantity="1"), "items[0].quantity"),
    ],
)
def test_each_validation_limit_is_400_naming_the_field(change, field):
    body = order_request("PROD-001", order_id=unique("e2e-limit"))
    change(body)
    assert_problem(http("POST", "/api/orders", body), 400, "invalid-request", fields=[field])


def test_a_body_over_64_kib_is_413():
    body = order_request("PROD-001")
    body["padding"] = "x" * (64 * 1024)
    assert_problem(http("POST", "/api/orders", body), 413, "payload-too-large")


def test_a_body_that_is_not_json_is_415():
    order_id = unique("e2e-415")
    reply = http("POST", "/api/orders", f"order_id={order_id}", {"Content-Type": "application/x-www-form-urlencoded"})
    assert_problem(reply, 415, "unsupported-media-type")
    # An empty Content-Type once crashed the server.
    assert_problem(http("POST", "/api/orders", b'{"customer_id":"c"}', {"Content-Type": ""}), 415)
    assert_problem(http("POST", "/api/orders", b'{"customer_id":"c"}', {"Content-Type": ";"}), 415)
    assert_nothing_started(order_id)


def test_limits_at_the_edges_are_accepted():
    # 1.00 each: 1099 items stay under PAYMENT_MAX_AMOUNT (the request's unit_price is not what is charged).
    product = make_product(price="1.00", stock=2000)
    body = {
        "order_id": "E." + "x" * 62,
        "customer_id": "C_" + "y" * 62,
        "items": [{"product_id": product, "product_name": "edge", "quantity": 1000, "unit_price": 1000000}]
        + [{"product_id": product, "product_name": "edge", "quantity": 1, "unit_price": 0}] * 99,
    }
    body["order_id"] = body["order_id"][:52] + unique("")[1:]
    assert len(body["order_id"]) <= 64
    reply = http("POST", "/api/orders", body)
    assert reply.status == 201, reply
    wait_for_status(body["order_id"], "completed", source="database", timeout=90)


# ---- Temporal unreachable: a second, private order-api pointed at a closed port ------------


@pytest.fixture(scope="module")
def api_without_temporal():
    import socket
    import subprocess
    import time
    import urllib.request

    port = int(os.environ.get("E2E_SPARE_PORT", "18081"))
    env = dict(os.environ, TEMPORAL_HOST_PORT="127.0.0.1:18089", API_PORT=str(port), LOG_LEVEL="warning")
    log = open(os.path.join(os.environ.get("E2E_OUT", "."), "order-api-no-temporal.log"), "wb")
    process = subprocess.Popen([os.path.join(os.environ["E2E_BIN"], "order-api")], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).read()
            break
        except Exception:
            assert process.poll() is None, "order-api without Temporal exited"
            time.sleep(0.3)
    else:
        pytest.fail("order-api without Temporal did not answer /healthz")
    yield url
    process.terminate()
    process.wait(timeout=30)
    log.close()


def test_temporal_unreachable_is_503_with_retry_after(api_without_temporal):
    order_id = unique("e2e-503")
    reply = http("POST", "/api/orders", order_request("PROD-001", order_id=order_id), timeout=60, base=api_without_temporal)
    assert_problem(reply, 503, "service-unavailable")
    assert int(reply.headers["Retry-After"]) > 0
    ready = http("GET", "/readyz", timeout=30, base=api_without_temporal)
    problem = assert_problem(ready, 503, "not-ready", fields=["temporal"])
    assert problem["checks"]["temporal"]["status"] == "down"
    assert problem["checks"]["postgres"]["status"] == "up"
    assert psql("SELECT count(*) FROM orders WHERE id = :'id';", id=order_id) == [["0"]]


def test_a_payment_above_the_limit_fails_payment_declined_and_releases_the_stock():
    product = make_product(price="6000.00", stock=10)
    order_id = unique("e2e-declined")
    assert http("POST", "/api/orders", order_request(product, quantity=2, order_id=order_id)).status == 201
    final, _ = wait_for_status(order_id, "failed", source="database")
    assert "PaymentDeclined" in final["failure_reason"], final
    assert stock(product) == 10, "the reservation is released"
    order = http("GET", f"/api/orders/{order_id}").json
    assert [n["kind"] for n in order["notifications"]] == ["order_failed"]
    assert all(reservation["released_at"] for reservation in order["reservations"]), order["reservations"]
