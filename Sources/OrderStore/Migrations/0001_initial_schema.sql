-- OrderFlow schema (docs/database.md). Amounts are NUMERIC(12,2), read and written as exact
-- decimal text and kept as integer cents in Swift. Timestamps are timestamptz.

CREATE TABLE products (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    price NUMERIC(12,2) NOT NULL CHECK (price >= 0),
    stock INTEGER NOT NULL CHECK (stock >= 0)
);

CREATE TABLE orders (
    id             TEXT PRIMARY KEY,
    customer_id    TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
                       'pending', 'created', 'inventory_reserved', 'payment_processed',
                       'completed', 'cancelled', 'failed')),
    total          NUMERIC(12,2) CHECK (total >= 0),
    failure_reason TEXT,
    workflow_id    TEXT,
    run_id         TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Listing is newest first with a keyset cursor on (created_at, id), optionally by status.
CREATE INDEX orders_created_at_id_idx ON orders (created_at DESC, id DESC);
CREATE INDEX orders_status_created_at_id_idx ON orders (status, created_at DESC, id DESC);

-- One line per product of an order: createOrder merges repeated product ids by adding their
-- quantities, so the natural key (order_id, product_id) is the primary key.
CREATE TABLE order_items (
    order_id     TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id   TEXT NOT NULL,
    product_name TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    unit_price   NUMERIC(12,2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, product_id)
);

-- Stock taken for an order; released_at is set exactly once when the stock is given back.
CREATE TABLE inventory_reservations (
    order_id    TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id  TEXT NOT NULL REFERENCES products (id),
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    reserved_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    released_at TIMESTAMPTZ,
    PRIMARY KEY (order_id, product_id)
);

-- At most one payment per order (the idempotency key of ProcessPayment).
CREATE TABLE payments (
    order_id       TEXT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    amount         NUMERIC(12,2) NOT NULL CHECK (amount >= 0),
    status         TEXT NOT NULL CHECK (status IN ('completed', 'refunded')),
    transaction_id TEXT NOT NULL UNIQUE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    refunded_at    TIMESTAMPTZ
);

-- One notification per (order, kind). No foreign key on purpose: a workflow cancelled before its
-- CreateOrder step still records its cancellation notification.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    order_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    message    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (order_id, kind)
);
