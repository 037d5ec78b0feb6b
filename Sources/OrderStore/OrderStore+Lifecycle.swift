import OrderCore
import PostgresClient

/// Order rows: accepting, creating (items and total from the catalog) and the terminal statuses.
extension OrderStore {
    /// Upper bound of NUMERIC(12,2).
    static let maximumTotal = Money(cents: 999_999_999_999)
    /// The per-line quantity limit of docs/workflow.md.
    static let quantityRange = 1...1000

    /// The API's record of an order it is handing to Temporal, written while the workflow starts: a `pending` row
    /// whose workflow id is the order id (the worker's CreateOrder adds the run id). An order already known (a
    /// repeated create) is left as it is. Returns true when this call inserted the row.
    public func recordPendingOrder(orderId: String, customerId: String) async throws -> Bool {
        // One statement, so autocommit is enough: a transaction would add two round trips to every create.
        try await pool.execute(
            """
            INSERT INTO orders (id, customer_id, status, workflow_id)
            VALUES ($1, $2, 'pending', $1)
            ON CONFLICT (id) DO NOTHING
            """, [.string(orderId), .string(customerId)]) == 1
    }

    /// Takes back a row `recordPendingOrder` inserted when Temporal then refused the start, so a refused create
    /// leaves nothing behind. Only a row no workflow has claimed (still `pending`, no run id) is removed: a
    /// concurrent duplicate create whose start succeeded claims the row first (`claimPendingOrder`).
    public func discardPendingOrder(orderId: String) async throws {
        _ = try await pool.execute(
            "DELETE FROM orders WHERE id = $1 AND status = 'pending' AND run_id IS NULL", [.string(orderId)])
    }

    /// For a create that found the order row already written by another request (a concurrent or repeated
    /// duplicate) and then got a workflow run from Temporal: records the run id on the row, so the request that
    /// wrote it can no longer discard it should its own start fail. With `insertIfMissing` (this request started
    /// the run) a row already discarded is written again. Returns the stored status, nil when there is no row.
    public func claimPendingOrder(orderId: String, customerId: String, runId: String, insertIfMissing: Bool)
        async throws -> OrderStatus?
    {
        let rows: [PostgresRow]
        if insertIfMissing {
            rows = try await pool.query(
                """
                INSERT INTO orders (id, customer_id, status, workflow_id, run_id)
                VALUES ($1, $2, 'pending', $1, $3)
                ON CONFLICT (id) DO UPDATE SET run_id = COALESCE(orders.run_id, EXCLUDED.run_id)
                RETURNING status
                """, [.string(orderId), .string(customerId), .string(runId)])
        } else {
            rows = try await pool.query(
                "UPDATE orders SET run_id = COALESCE(run_id, $2) WHERE id = $1 RETURNING status",
                [.string(orderId), .string(runId)])
        }
        return try rows.first.map { row in
            let text = try row.string("status")
            guard let status = OrderStatus(rawValue: text) else {
                throw PostgresError(kind: .decoding, message: "unknown order status \(text)")
            }
            return status
        }
    }

    /// The CreateOrder step: the order row (inserted if the API did not already) moves to
    /// `created` with its items and total. Prices and product names come from the catalog; the
    /// input's `unit_price`/`product_name` are not trusted. Lines naming the same product are
    /// merged into one item with the summed quantity. A retry returns the stored total.
    ///
    /// Business failures (`InvalidOrder`: no items or a quantity outside 1...1000;
    /// `InvalidProduct`: unknown product id) are thrown after the `pending` order row has been
    /// committed, so the workflow can still mark that row failed.
    public func createOrder(_ input: OrderInput, workflowId: String, runId: String) async throws -> Money {
        let outcome = try await pool.withSynchronousTransaction { transaction -> Result<Money, OrderBusinessError> in
            // Inserting or updating the row locks it as `SELECT ... FOR UPDATE` would, and returns it as stored.
            let rows = try transaction.query(
                """
                INSERT INTO orders (id, customer_id, status, workflow_id, run_id)
                VALUES ($1, $2, 'pending', $3, $4)
                ON CONFLICT (id) DO UPDATE
                   SET workflow_id = COALESCE(orders.workflow_id, EXCLUDED.workflow_id),
                       run_id = COALESCE(orders.run_id, EXCLUDED.run_id)
                RETURNING status, total
                """, [.string(input.orderId), .string(input.customerId), .string(workflowId), .string(runId)])
            guard let row = rows.first else {
                throw PostgresError(kind: .decoding, message: "the order upsert returned no row")
            }
            let order = try LockedOrder(row)
            if order.status != .pending {
                // Already created by an earlier attempt: same answer, nothing written.
                guard let total = order.total else {
                    throw OrderStatusError.illegalTransition(from: order.status, to: .created)
                }
                return .success(total)
            }

            let lines: [(productId: String, quantity: Int)]
            switch Self.mergedLines(of: input) {
            case .failure(let error): return .failure(error)
            case .success(let merged): lines = merged
            }
            let catalog = try catalogEntries(for: lines.map(\.productId), in: transaction)
            let unknown = lines.map(\.productId).filter { catalog[$0] == nil }
            if !unknown.isEmpty {
                return .failure(
                    OrderBusinessError(
                        type: .invalidProduct, message: "unknown product \(unknown.joined(separator: ", "))"))
            }

            // Everything is checked before the first item is written: a business failure must
            // commit the pending row only.
            var total = Money.zero
            do {
                for line in lines {
                    total = try total.adding(try catalog[line.productId]!.price.multiplied(by: line.quantity))
                }
            } catch {
                return .failure(OrderBusinessError(type: .invalidOrder, message: "order total is too large"))
            }
            if total > Self.maximumTotal {
                return .failure(OrderBusinessError(type: .invalidOrder, message: "order total \(total) is too large"))
            }
            // Every item in one statement, the columns as arrays.
            let products = lines.map { catalog[$0.productId]! }
            try transaction.execute(
                """
                INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price)
                SELECT $1::text, item.* FROM unnest($2::text[], $3::text[], $4::integer[], $5::numeric[]) AS item
                """,
                [
                    .string(input.orderId), .textArray(lines.map(\.productId)), .textArray(products.map(\.name)),
                    .textArray(lines.map { String($0.quantity) }), .textArray(products.map(\.price.description)),
                ])
            _ = try order.status.transitioned(to: .created)
            try transaction.executeAndCommit(
                "UPDATE orders SET status = 'created', total = $2, updated_at = now() WHERE id = $1",
                [.string(input.orderId), .money(total)])
            return .success(total)
        }
        // A business failure is thrown after COMMIT, which then kept only the pending row.
        return try outcome.get()
    }

    /// Marks the order `completed` (only from `payment_processed`). Again → no-op.
    /// Returns the status now stored, nil for an unknown order.
    @discardableResult
    public func completeOrder(orderId: String) async throws -> OrderStatus? {
        try await finish(orderId, as: .completed, reason: nil)
    }

    /// Marks the order `failed` with its reason (from any non-terminal status). Again → no-op,
    /// the first reason stays. A completed or cancelled order is never changed: that throws
    /// `OrderStatusError.illegalTransition`. An unknown order is a no-op returning nil.
    @discardableResult
    public func failOrder(orderId: String, reason: String) async throws -> OrderStatus? {
        try await finish(orderId, as: .failed, reason: reason)
    }

    /// Marks the order `cancelled` with its reason; same rules as `failOrder`.
    @discardableResult
    public func cancelOrder(orderId: String, reason: String) async throws -> OrderStatus? {
        try await finish(orderId, as: .cancelled, reason: reason)
    }

    private func finish(_ orderId: String, as target: OrderStatus, reason: String?) async throws -> OrderStatus? {
        try await pool.withSynchronousTransaction { transaction in
            try finish(orderId, as: target, reason: reason, in: transaction)
        }
    }

    func finish(
        _ orderId: String, as target: OrderStatus, reason: String?, in transaction: PostgresSynchronousTransaction
    )
        throws -> OrderStatus?
    {
        guard let order = try lockOrder(orderId, in: transaction) else { return nil }
        if order.status == target { return target }
        let next = try order.status.transitioned(to: target)
        try transaction.execute(
            "UPDATE orders SET status = $2, failure_reason = COALESCE($3, failure_reason), updated_at = now() WHERE id = $1",
            [.string(orderId), .string(next.rawValue), .string(reason)])
        return next
    }

    /// Validates the input's lines and merges repeated product ids, keeping first-seen order.
    static func mergedLines(of input: OrderInput) -> Result<[(productId: String, quantity: Int)], OrderBusinessError> {
        guard !input.items.isEmpty else {
            return .failure(OrderBusinessError(type: .invalidOrder, message: "order \(input.orderId) has no items"))
        }
        var merged: [(productId: String, quantity: Int)] = []
        var position: [String: Int] = [:]
        for (index, item) in input.items.enumerated() {
            guard quantityRange.contains(item.quantity) else {
                return .failure(
                    OrderBusinessError(
                        type: .invalidOrder,
                        message:
                            "items[\(index)].quantity \(item.quantity) is outside \(quantityRange.lowerBound)...\(quantityRange.upperBound)"
                    ))
            }
            if let existing = position[item.productId] {
                merged[existing].quantity += item.quantity
            } else {
                position[item.productId] = merged.count
                merged.append((item.productId, item.quantity))
            }
        }
        return .success(merged)
    }

    private func catalogEntries(for productIds: [String], in transaction: PostgresSynchronousTransaction) throws
        -> [String:
        Product]
    {
        let rows = try transaction.query(
            "SELECT id, name, price, stock FROM products WHERE id = ANY($1::text[])", [.textArray(productIds)])
        var products: [String: Product] = [:]
        for row in rows {
            let product = try Self.product(row)
            products[product.id] = product
        }
        return products
    }
}
