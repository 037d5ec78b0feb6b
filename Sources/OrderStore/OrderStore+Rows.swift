import OrderCore
import PostgresClient

/// Row → model conversions of the store's queries.
extension OrderStore {
    static func order(_ row: PostgresRow) throws -> Order {
        Order(
            id: try row.string("id"),
            customerId: try row.string("customer_id"),
            status: try status(row),
            total: try row.optionalMoney("total"),
            failureReason: try row.optionalString("failure_reason"),
            workflowId: try row.optionalString("workflow_id"),
            runId: try row.optionalString("run_id"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    static func item(_ row: PostgresRow) throws -> OrderItem {
        OrderItem(
            productId: try row.string("product_id"),
            productName: try row.string("product_name"),
            quantity: try row.int("quantity"),
            unitPrice: try row.money("unit_price"))
    }

    static func payment(_ row: PostgresRow) throws -> PaymentRecord {
        PaymentRecord(
            amount: try row.money("amount"),
            status: try row.string("status"),
            transactionId: try row.string("transaction_id"),
            createdAt: try row.date("created_at"),
            refundedAt: try row.optionalDate("refunded_at"))
    }

    static func reservation(_ row: PostgresRow) throws -> InventoryReservation {
        InventoryReservation(
            productId: try row.string("product_id"),
            quantity: try row.int("quantity"),
            reservedAt: try row.date("reserved_at"),
            releasedAt: try row.optionalDate("released_at"))
    }

    static func notification(_ row: PostgresRow) throws -> NotificationRecord {
        NotificationRecord(
            id: try row.int64("id"),
            kind: try row.string("kind"),
            channel: try row.string("channel"),
            message: try row.string("message"),
            createdAt: try row.date("created_at"))
    }

    static func product(_ row: PostgresRow) throws -> Product {
        Product(
            id: try row.string("id"), name: try row.string("name"),
            price: try row.money("price"), stock: try row.int("stock"))
    }
}
