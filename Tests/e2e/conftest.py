"""Shared helpers of the end-to-end suites (run by Tests/e2e/run.sh against a running
order-worker and order-api). Settings come from the environment run.sh exports."""

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

BASE_URL = os.environ.get("E2E_BASE_URL", "http://127.0.0.1:18080")
OUT_DIR = os.environ.get("E2E_OUT", os.path.join(os.getcwd(), "test-output", "e2e"))
TASK_QUEUE = os.environ.get("TEMPORAL_TASK_QUEUE", "")
TERMINAL = {"completed", "cancelled", "failed"}


class Reply:
    """One HTTP answer: status, headers (case-insensitive), raw body, JSON when it is JSON."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    @property
    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return f"<{self.status} {self.content_type} {self.text[:300]!r}>"


def http(method, path, body=None, headers=None, timeout=30, base=None):
    """A request without redirects or exceptions for 4xx/5xx. `body` may be bytes, str or a
    JSON-able value (then sent as application/json unless headers say otherwise)."""
    headers = dict(headers or {})
    data = None
    if body is not None:
        if isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request((base or BASE_URL) + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def assert_problem(reply, status, problem_type=None, fields=None):
    """An RFC 9457 problem+json answer with the given status; `fields` must all be named in `errors`."""
    assert reply.status == status, reply
    assert reply.content_type == "application/problem+json", reply
    problem = reply.json
    for key in ("type", "title", "status", "detail", "errors"):
        assert key in problem, f"problem lacks {key}: {problem}"
    assert problem["status"] == status, problem
    if problem_type:
        assert problem["type"] == f"/problems/{problem_type}", problem
    if fields:
        named = {error["field"] for error in problem["errors"]}
        missing = set(fields) - named
        assert not missing, f"fields {missing} not named in {problem['errors']}"
    return problem


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def wait_until(description, probe, timeout=60.0, interval=0.2):
    """Polls `probe` until it returns something truthy; fails naming `description` and the last value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {description}; last: {last!r}")


def psql(sql, **variables):
    """Runs SQL on the e2e database through psql; `:'name'` placeholders take `variables`
    (psql quotes them), so values are never spliced into the text. Returns rows of fields."""
    args = ["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
    for name, value in variables.items():
        args += ["-v", f"{name}={value}"]
    env = dict(os.environ, PGPASSWORD=os.environ.get("POSTGRES_PASSWORD", "orderflow123"))
    args += [
        "-h", os.environ.get("POSTGRES_HOST", "localhost"),
        "-p", os.environ.get("POSTGRES_PORT", "5432"),
        "-U", os.environ.get("POSTGRES_USER", "orderflow"),
        os.environ.get("POSTGRES_DB", "orderflow"),
    ]
    done = subprocess.run(args, input=sql, text=True, capture_output=True, env=env, timeout=30)
    assert done.returncode == 0, f"psql failed: {done.stderr}"
    return [line.split("\t") for line in done.stdout.splitlines() if line]


@contextlib.contextmanager
def row_lock(product_id):
    """Holds a row lock on a product (an open psql transaction) while the block runs, so an
    order's CheckInventory, which updates that row, waits: a way to see an order mid-flight."""
    args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-v", f"id={product_id}",
            "-h", os.environ.get("POSTGRES_HOST", "localhost"), "-p", os.environ.get("POSTGRES_PORT", "5432"),
            "-U", os.environ.get("POSTGRES_USER", "orderflow"), os.environ.get("POSTGRES_DB", "orderflow")]
    env = dict(os.environ, PGPASSWORD=os.environ.get("POSTGRES_PASSWORD", "orderflow123"))
    holder = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        holder.stdin.write("BEGIN;\nSELECT 'locked' FROM products WHERE id = :'id' FOR UPDATE;\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "locked", "could not lock the product row"
        yield
    finally:
        holder.communicate("ROLLBACK;\n", timeout=30)


def make_product(price="10.00", stock=100, name=None):
    """A catalog product only this test owns, so stock assertions are exact."""
    product_id = unique("E2E-P")
    psql(
        "INSERT INTO products (id, name, price, stock) VALUES (:'id', :'name', :'price', :'stock');",
        id=product_id, name=name or f"E2E product {product_id}", price=price, stock=stock,
    )
    return product_id


def stock(product_id):
    rows = psql("SELECT stock FROM products WHERE id = :'id';", id=product_id)
    return int(rows[0][0])


def temporal_executable():
    """TEMPORAL_CLI (scripts/lib.sh sets it), else the one beside this venv's python (make deps puts it there)."""
    beside = Path(sys.executable).with_name("temporal")
    return os.environ.get("TEMPORAL_CLI") or (str(beside) if beside.exists() else "temporal")


def temporal_cli(*args):
    """The `temporal` CLI against the server the stack uses; returns parsed JSON output."""
    address = os.environ.get("TEMPORAL_HOST_PORT", "localhost:7233")
    namespace = os.environ.get("TEMPORAL_NAMESPACE", "default")
    done = subprocess.run(
        [temporal_executable(), *args, "--address", address, "--namespace", namespace, "-o", "json"],
        capture_output=True, text=True, timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


def workflow_runs(workflow_id):
    """Every run with this workflow id known to Temporal's visibility store."""
    code, out, err = temporal_cli("workflow", "list", "--query", f"WorkflowId = '{workflow_id}'")
    assert code == 0, f"temporal workflow list failed: {err}"
    out = out.strip()
    if not out:
        return []
    # The CLI prints one JSON array (or one object per line in older versions).
    if out.startswith("["):
        return json.loads(out)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def order_request(product_id, quantity=1, customer_id="cust-e2e", order_id=None, unit_price=10.0):
    body = {
        "customer_id": customer_id,
        "items": [{"product_id": product_id, "product_name": "E2E item", "quantity": quantity, "unit_price": unit_price}],
    }
    if order_id:
        body["order_id"] = order_id
    return body


def status_of(order_id):
    reply = http("GET", f"/api/orders/{order_id}/status")
    assert reply.status == 200, reply
    return reply.json


def wait_for_status(order_id, wanted, source=None, timeout=60.0):
    """Polls the status route until `status` is `wanted` (and `source`, when given); returns
    every distinct (status, source) seen on the way, in order."""
    seen = []

    def probe():
        view = status_of(order_id)
        pair = (view["status"], view["source"])
        if not seen or seen[-1] != pair:
            seen.append(pair)
        if view["status"] == wanted and (source is None or view["source"] == source):
            return view
        if view["status"] in TERMINAL and view["status"] != wanted and view["source"] == "database":
            pytest.fail(f"order {order_id} ended {view['status']} ({view.get('failure_reason')}), wanted {wanted}")
        return None

    final = wait_until(f"order {order_id} to be {wanted}", probe, timeout=timeout, interval=0.1)
    return final, seen
