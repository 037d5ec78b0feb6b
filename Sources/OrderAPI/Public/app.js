// OrderFlow web page: plain JavaScript against the REST API (see /openapi.yaml).
"use strict";

const state = {
  config: { temporal_ui_url: "http://localhost:8088", temporal_namespace: "default", poll_interval_ms: 1500 },
  products: [],
  orders: [],
  nextCursor: null,
  selectedId: null,
  // True while the Server-Sent Events stream is open; the page polls whenever it is not.
  feedOpen: false,
  cancelRequested: new Set(),
};

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function money(value) {
  return value == null ? "—" : Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

function statusBadge(status) {
  return el("span", { class: `status ${status}` }, status.replaceAll("_", " "));
}

function workflowURL(workflowId) {
  const base = state.config.temporal_ui_url.replace(/\/+$/, "");
  return `${base}/namespaces/${encodeURIComponent(state.config.temporal_namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

// Every call goes through here: JSON in, JSON out, problem+json turned into an Error
// that keeps the field errors so the form can show them next to the fields.
async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: options.body ? { "Content-Type": "application/json", ...(options.headers || {}) } : options.headers,
  });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) {
    const error = new Error((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.fieldErrors = (body && body.errors) || [];
    throw error;
  }
  return { status: response.status, body };
}

function showBanner(message) {
  const banner = $("#banner");
  banner.textContent = message || "";
  banner.hidden = !message;
}

// ---- catalog ----------------------------------------------------------------

async function loadCatalog() {
  try {
    const { body } = await api("/api/products");
    state.products = body.products;
    renderCatalog();
    for (const select of document.querySelectorAll("#items select.product")) fillProductSelect(select);
  } catch (error) {
    $("#catalog").replaceChildren(el("tr", {}, el("td", { colspan: "4", class: "failure" }, `Catalog unavailable: ${error.message}`)));
  }
}

function renderCatalog() {
  const rows = state.products.map((product) =>
    el("tr", {},
      el("td", {}, product.name, el("div", { class: "muted small mono" }, product.id)),
      el("td", { class: "num" }, money(product.price)),
      el("td", { class: "num" }, String(product.stock)),
      el("td", {}, el("button", { type: "button", class: "secondary", onclick: () => addItemRow(product.id) }, "Add"))));
  $("#catalog").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "4", class: "muted" }, "No products."))]));
}

// ---- new-order form -----------------------------------------------------------

function fillProductSelect(select, chosen) {
  const current = chosen || select.value;
  select.replaceChildren(...state.products.map((product) =>
    el("option", { value: product.id }, `${product.name} — ${money(product.price)}`)));
  if (current) select.value = current;
}

function addItemRow(productId) {
  const existing = [...document.querySelectorAll("#items .item-row")]
    .find((row) => $("select.product", row).value === productId);
  if (productId && existing) {
    const quantity = $("input.quantity", existing);
    quantity.value = String(Math.min(1000, Number(quantity.value || 0) + 1));
    return;
  }
  const row = $("#item-row").content.firstElementChild.cloneNode(true);
  fillProductSelect($("select.product", row), productId);
  $("button.remove", row).addEventListener("click", () => { row.remove(); renumberItems(); });
  $("#items").append(row);
  renumberItems();
}

function renumberItems() {
  document.querySelectorAll("#items .item-row").forEach((row, index) => {
    $("[data-role=row]", row).dataset.field = `items[${index}]`;
  });
}

function clearFieldErrors() {
  for (const node of document.querySelectorAll("#order-form .field-error")) node.textContent = "";
  for (const node of document.querySelectorAll("#order-form .invalid")) node.classList.remove("invalid");
}

// What the form calls an item's fields the API names (items[2].quantity → "Quantity").
const ITEM_FIELD_LABELS = { product_id: "Product", product_name: "Product name", quantity: "Quantity", unit_price: "Price" };
const ITEM_FIELD_INPUTS = { product_id: "select.product", product_name: "select.product", quantity: "input.quantity", unit_price: "select.product" };

// Puts each API field error next to its field: customer and items on their own lines, an
// item's fields on its row's line (highlighting that input); anything else under the form.
function showFieldErrors(errors) {
  for (const { field, message } of errors) {
    let target = document.querySelector(`#order-form .field-error[data-field="${CSS.escape(field)}"]`);
    let text = message;
    let input = null;
    const item = field.match(/^(items\[\d+\])\.(\w+)$/);
    if (!target && item) {
      target = document.querySelector(`#order-form .field-error[data-field="${CSS.escape(item[1])}"]`);
      text = `${ITEM_FIELD_LABELS[item[2]] || item[2]} ${message}`;
      if (target) input = $(ITEM_FIELD_INPUTS[item[2]] || "select.product", target.closest(".item-row"));
    } else if (target) {
      input = target.parentElement.querySelector(":scope > input, :scope > select");
    }
    if (!target) {
      target = document.querySelector('#order-form .field-error[data-field="body"]');
      text = field === "body" ? message : `${field}: ${message}`;
    }
    target.textContent = target.textContent ? `${target.textContent}; ${text}` : text;
    if (input) input.classList.add("invalid");
  }
}

function orderRequestFromForm() {
  const items = [...document.querySelectorAll("#items .item-row")].map((row) => {
    const product = state.products.find((p) => p.id === $("select.product", row).value);
    const quantityText = $("input.quantity", row).value.trim();
    return {
      product_id: product ? product.id : "",
      product_name: product ? product.name : "",
      quantity: quantityText === "" ? null : Number(quantityText),
      unit_price: product ? product.price : 0,
    };
  });
  return { customer_id: $("#customer_id").value.trim(), items };
}

async function submitOrder(event) {
  event.preventDefault();
  clearFieldErrors();
  const button = $("#submit-order");
  button.disabled = true;
  $("#form-status").textContent = "Placing order…";
  try {
    const { status, body } = await api("/api/orders", { method: "POST", body: JSON.stringify(orderRequestFromForm()) });
    $("#form-status").textContent = status === 201 ? `Order ${body.order_id} accepted.` : `Order ${body.order_id} already existed.`;
    $("#form-status").title = $("#form-status").textContent;
    state.selectedId = body.order_id;
    await refreshOrders();
    await showDetail(body.order_id);
  } catch (error) {
    $("#form-status").textContent = "";
    if (error.fieldErrors.length) showFieldErrors(error.fieldErrors);
    else showFieldErrors([{ field: "body", message: error.message }]);
  } finally {
    button.disabled = false;
  }
}

// ---- order list (live) ----------------------------------------------------------

async function refreshOrders() {
  try {
    const { body } = await api("/api/orders?limit=20");
    // Keep older pages already loaded; replace the newest page in place.
    const fresh = new Map(body.orders.map((order) => [order.order_id, order]));
    const older = state.orders.filter((order) => !fresh.has(order.order_id) && state.orders.indexOf(order) >= 20);
    state.orders = [...body.orders, ...older];
    if (state.nextCursor === null || older.length === 0) state.nextCursor = body.next_cursor;
    renderOrders();
    showBanner("");
  } catch (error) {
    showBanner(`Cannot load orders: ${error.message}`);
  }
}

async function loadOlderOrders() {
  if (!state.nextCursor) return;
  try {
    const { body } = await api(`/api/orders?limit=20&cursor=${encodeURIComponent(state.nextCursor)}`);
    state.orders = [...state.orders, ...body.orders];
    state.nextCursor = body.next_cursor;
    renderOrders();
  } catch (error) {
    showBanner(`Cannot load older orders: ${error.message}`);
  }
}

function renderOrders() {
  const rows = state.orders.map((order) => {
    const row = el("tr", { class: `clickable${order.order_id === state.selectedId ? " selected" : ""}`, onclick: () => showDetail(order.order_id) },
      el("td", { class: "order-cell", title: order.order_id },
        el("span", { class: "order-id mono" }, order.order_id),
        el("span", { class: "customer muted small" }, order.customer_id)),
      el("td", {}, statusBadge(order.status)),
      el("td", { class: "num" }, money(order.total)),
      el("td", { class: "muted small hide-narrow" }, when(order.created_at)));
    return row;
  });
  $("#orders").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "4", class: "muted" }, "No orders yet."))]));
  $("#more-orders").hidden = !state.nextCursor;
}

// ---- order detail ------------------------------------------------------------------

async function showDetail(orderId) {
  state.selectedId = orderId;
  renderOrders();
  const section = $("#detail");
  section.hidden = false;
  try {
    const [{ body: order }, live] = await Promise.all([
      api(`/api/orders/${encodeURIComponent(orderId)}`),
      api(`/api/orders/${encodeURIComponent(orderId)}/status`).then((r) => r.body).catch(() => null),
    ]);
    if (state.selectedId === orderId) renderDetail(order, live);
  } catch (error) {
    if (error.status === 404) {
      // Just accepted: the worker has not written the row yet; the status may still be known.
      const live = await api(`/api/orders/${encodeURIComponent(orderId)}/status`).then((r) => r.body).catch(() => null);
      if (state.selectedId === orderId) renderDetail({ order_id: orderId, status: live ? live.status : "pending", items: [], notifications: [], payment: null, workflow_id: orderId }, live);
    } else {
      $("#detail-body").replaceChildren(el("p", { class: "failure" }, error.message));
    }
  }
}

function renderDetail(order, live) {
  const status = live ? live.status : order.status;
  const failure = (live && live.failure_reason) || order.failure_reason;
  const terminal = ["completed", "cancelled", "failed"].includes(status);
  const workflowId = order.workflow_id || order.order_id;
  const cancel = el("button", { type: "button", class: "danger", onclick: () => cancelOrder(order.order_id, cancel) }, "Cancel order");
  // Re-rendered on every refresh: a cancellation already asked for stays visible until it lands.
  const cancelling = state.cancelRequested.has(order.order_id) && !terminal;
  cancel.disabled = terminal || cancelling;

  const facts = el("dl", { class: "detail-grid" },
    el("dt", {}, "Order"), el("dd", { class: "mono" }, order.order_id),
    el("dt", {}, "Status"), el("dd", {}, statusBadge(status),
      live && live.step ? el("span", { class: "muted small" }, ` step ${live.step}${live.attempt > 1 ? `, attempt ${live.attempt}` : ""}`) : null,
      live ? el("span", { class: "muted small" }, ` (${live.source})`) : null),
    el("dt", {}, "Customer"), el("dd", {}, order.customer_id || "—"),
    el("dt", {}, "Total"), el("dd", {}, money(order.total)),
    el("dt", {}, status === "cancelled" ? "Reason" : "Failure"), el("dd", { class: failure && status !== "cancelled" ? "failure" : "muted" }, failure || "—"),
    el("dt", {}, "Created"), el("dd", {}, when(order.created_at)),
    el("dt", {}, "Updated"), el("dd", {}, when(order.updated_at)),
    el("dt", {}, "Workflow"), el("dd", {}, el("a", { href: workflowURL(workflowId), target: "_blank", rel: "noopener" }, "Open in Temporal Web UI")));

  const items = el("table", { class: "table" },
    el("thead", {}, el("tr", {}, el("th", {}, "Item"), el("th", { class: "num" }, "Qty"), el("th", { class: "num" }, "Unit price"))),
    el("tbody", {}, ...(order.items.length ? order.items.map((item) => el("tr", {},
      el("td", {}, item.product_name, el("div", { class: "muted small mono" }, item.product_id)),
      el("td", { class: "num" }, String(item.quantity)),
      el("td", { class: "num" }, money(item.unit_price)))) : [el("tr", {}, el("td", { colspan: "3", class: "muted" }, "Not recorded yet."))])));

  const payment = order.payment
    ? el("p", {}, `${money(order.payment.amount)} — ${order.payment.status}`, order.payment.transaction_id ? el("span", { class: "muted mono" }, ` (${order.payment.transaction_id})`) : null,
        order.payment.refunded_at ? el("span", { class: "muted" }, `, refunded ${when(order.payment.refunded_at)}`) : null)
    : el("p", { class: "muted" }, "No payment.");

  const notifications = order.notifications.length
    ? el("ul", {}, ...order.notifications.map((n) => el("li", {}, el("strong", {}, n.kind), ` via ${n.channel}: ${n.message} `, el("span", { class: "muted small" }, when(n.created_at)))))
    : el("p", { class: "muted" }, "No notifications.");

  $("#detail-body").replaceChildren(facts, el("h3", {}, "Items"), items, el("h3", {}, "Payment"), payment,
    el("h3", {}, "Notifications"), notifications,
    el("div", { class: "actions" }, cancel, el("span", { id: "cancel-status", class: "muted" }, cancelling ? "Cancellation requested…" : "")));
}

async function cancelOrder(orderId, button) {
  button.disabled = true;
  try {
    await api(`/api/orders/${encodeURIComponent(orderId)}/cancel`, { method: "POST", body: JSON.stringify({ reason: "Cancelled from the web page" }) });
    state.cancelRequested.add(orderId);
    $("#cancel-status").textContent = "Cancellation requested…";
  } catch (error) {
    $("#cancel-status").textContent = error.message;
    button.disabled = error.status === 409;
  }
}

// ---- live updates --------------------------------------------------------------------
// With Redis the API relays every status change as a Server-Sent Event (status_feed_url in
// /api/config) and the page refreshes when one arrives. Without it, or while the stream is
// down (EventSource reconnects by itself), the page polls.

async function refreshAll() {
  await refreshOrders();
  if (state.selectedId && !document.hidden) await showDetail(state.selectedId);
}

async function poll() {
  if (!state.feedOpen) await refreshAll();
  setTimeout(poll, Math.min(2000, Math.max(1000, state.config.poll_interval_ms)));
}

let refreshTimer = null;
// A burst of events (one order's steps land within milliseconds) becomes one refresh.
function refreshSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    await refreshAll();
  }, 250);
}

function onStatusChange(change) {
  const order = state.orders.find((o) => o.order_id === change.order_id);
  if (order) {
    order.status = change.status;
    if (change.failure_reason) order.failure_reason = change.failure_reason;
    renderOrders();
  }
  refreshSoon();
}

function setLiveMode(text) {
  $("#live-mode").textContent = `(${text})`;
}

function connectFeed(url) {
  const source = new EventSource(url);
  source.addEventListener("open", () => {
    state.feedOpen = true;
    setLiveMode("live");
    // Changes made while the stream was down are not replayed: catch up once.
    refreshSoon();
  });
  source.addEventListener("order-status", (event) => {
    try { onStatusChange(JSON.parse(event.data)); } catch { /* ignore a malformed event */ }
  });
  source.addEventListener("error", () => {
    state.feedOpen = false;
    setLiveMode("polling");
  });
}

async function start() {
  try {
    state.config = (await api("/api/config")).body;
  } catch { /* keep defaults */ }
  $("#temporal-ui-link").href = `${state.config.temporal_ui_url.replace(/\/+$/, "")}/namespaces/${encodeURIComponent(state.config.temporal_namespace)}/workflows`;
  $("#order-form").addEventListener("submit", submitOrder);
  $("#add-item").addEventListener("click", () => addItemRow());
  $("#more-orders").addEventListener("click", loadOlderOrders);
  await loadCatalog();
  if (!document.querySelector("#items .item-row")) addItemRow();
  if (state.config.status_feed_url && "EventSource" in window) connectFeed(state.config.status_feed_url);
  else setLiveMode("polling");
  poll();
}

start();
