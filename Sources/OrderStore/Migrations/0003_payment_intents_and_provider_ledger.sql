-- Payments that are safe against late attempts. ProcessPayment records its intent (keyed by the order's
-- deterministic transaction id) before it calls the provider, and hands the provider that key, so a retry and
-- an attempt that outlived its timeout name the same payment. An intent without a payment row is a payment
-- in doubt: the provider's ledger says whether it was charged.
CREATE TABLE payment_intents (
    order_id        TEXT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL UNIQUE,
    amount          NUMERIC(12,2) NOT NULL CHECK (amount >= 0),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The simulated payment provider's own ledger, durable as a real provider's is, and as Stripe-style providers
-- keep it: one entry per idempotency key. A charge repeated with a known key returns the first charge; a
-- refund marks the charge refunded once; a refund of a key never charged voids it, so a charge arriving later
-- is refused. `charge_requests` counts the charge requests that named the key (replays included). It knows
-- nothing of orders (no foreign key): it stands for another company's books.
CREATE TABLE provider_charges (
    idempotency_key TEXT PRIMARY KEY,
    amount          NUMERIC(12,2) NOT NULL CHECK (amount >= 0),
    status          TEXT NOT NULL CHECK (status IN ('charged', 'refunded', 'voided')),
    charge_requests INTEGER NOT NULL DEFAULT 1 CHECK (charge_requests >= 0),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    refunded_at     TIMESTAMPTZ
);
