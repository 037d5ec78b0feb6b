import Foundation
import OrderCore
import Testing

@Suite("OrderStatus lifecycle")
struct OrderStatusTransitionTests {
    static let happyPath: [(OrderStatus, OrderStatus)] = [
        (.pending, .created), (.created, .inventoryReserved), (.inventoryReserved, .paymentProcessed),
        (.paymentProcessed, .completed),
    ]
    static let nonTerminal: [OrderStatus] = [.pending, .created, .inventoryReserved, .paymentProcessed]
    static let terminal: [OrderStatus] = [.completed, .cancelled, .failed]

    @Test("raw values are the wire/database names")
    func rawValues() {
        #expect(
            OrderStatus.allCases.map(\.rawValue) == [
                "pending", "created", "inventory_reserved", "payment_processed", "completed", "cancelled", "failed",
            ])
        #expect(OrderStatus(rawValue: "inventory_reserved") == .inventoryReserved)
    }

    @Test("terminal statuses")
    func terminalStatuses() {
        #expect(OrderStatus.allCases.filter(\.isTerminal) == Self.terminal)
    }

    @Test("happy path steps are legal", arguments: happyPath)
    func happyPathStep(from: OrderStatus, to: OrderStatus) throws {
        #expect(from.canTransition(to: to))
        #expect(try from.transitioned(to: to) == to)
    }

    @Test("any non-terminal status may be cancelled or fail", arguments: nonTerminal)
    func cancelOrFail(from: OrderStatus) throws {
        #expect(try from.transitioned(to: .cancelled) == .cancelled)
        #expect(try from.transitioned(to: .failed) == .failed)
    }

    @Test("staying in the same status is an idempotent no-op", arguments: OrderStatus.allCases)
    func sameStatus(status: OrderStatus) throws {
        #expect(try status.transitioned(to: status) == status)
    }

    @Test("terminal statuses never change", arguments: terminal)
    func terminalIsFinal(from: OrderStatus) {
        for to in OrderStatus.allCases where to != from {
            #expect(!from.canTransition(to: to))
            #expect(throws: OrderStatusError.illegalTransition(from: from, to: to)) { try from.transitioned(to: to) }
        }
    }

    @Test(
        "skipping or going back is illegal",
        arguments: [
            (OrderStatus.pending, OrderStatus.inventoryReserved), (.pending, .completed), (.created, .paymentProcessed),
            (.created, .pending), (.inventoryReserved, .created), (.inventoryReserved, .completed),
            (.paymentProcessed, .inventoryReserved), (.paymentProcessed, .pending),
        ])
    func illegal(from: OrderStatus, to: OrderStatus) {
        #expect(!from.canTransition(to: to))
        #expect(throws: OrderStatusError.illegalTransition(from: from, to: to)) { try from.transitioned(to: to) }
    }

    @Test("exactly the legal pairs are legal")
    func fullMatrix() {
        var legal = 0
        for from in OrderStatus.allCases {
            for to in OrderStatus.allCases where from.canTransition(to: to) && from != to { legal += 1 }
        }
        // 4 happy-path steps + 4 non-terminal × {cancelled, failed}.
        #expect(legal == 4 + 8)
    }

    @Test("encodes as its raw value in JSON")
    func codable() throws {
        let data = try JSONEncoder().encode([OrderStatus.paymentProcessed])
        #expect(String(decoding: data, as: UTF8.self) == #"["payment_processed"]"#)
        #expect(try JSONDecoder().decode([OrderStatus].self, from: data) == [.paymentProcessed])
    }
}
