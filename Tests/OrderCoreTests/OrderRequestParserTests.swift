import OrderCore
import Testing

/// Every rule of the request table in docs/api.md, each with its boundaries.
@Suite("OrderRequestParser validation")
struct OrderRequestParserTests {
    // MARK: helpers

    static func item(
        productId: String = "\"PROD-001\"", productName: String = "\"Laptop\"", quantity: String = "1",
        unitPrice: String = "1299.99"
    ) -> String {
        #"{"product_id": \#(productId), "product_name": \#(productName), "quantity": \#(quantity), "unit_price": \#(unitPrice)}"#
    }

    static func body(orderId: String? = nil, customerId: String = "\"cust-1\"", items: [String] = [item()]) -> String {
        let order = orderId.map { #""order_id": \#($0), "# } ?? ""
        return #"{\#(order)"customer_id": \#(customerId), "items": [\#(items.joined(separator: ","))]}"#
    }

    static func quoted(_ text: String) -> String { "\"\(text)\"" }

    private func parse(_ body: String) -> Result<OrderRequest, OrderRequestError> {
        OrderRequestParser.parse(Array(body.utf8))
    }

    private func accepted(_ body: String) throws -> OrderRequest {
        try parse(body).get()
    }

    /// The field errors, or an empty list (and a recorded issue) when the body was accepted.
    private func fieldErrors(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) -> [FieldError] {
        switch parse(body) {
        case .success:
            Issue.record("expected the body to be refused", sourceLocation: sourceLocation)
            return []
        case .failure(.malformedJSON(let reason)):
            Issue.record("expected field errors, got malformed JSON: \(reason)", sourceLocation: sourceLocation)
            return []
        case .failure(.invalid(let errors)):
            return errors
        }
    }

    private func expectOnlyError(
        on field: String, _ body: String, containing text: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let errors = fieldErrors(body, sourceLocation: sourceLocation)
        #expect(errors.map(\.field) == [field], sourceLocation: sourceLocation)
        if let text {
            #expect(errors.first?.message.contains(text) == true, "\(errors)", sourceLocation: sourceLocation)
        }
    }

    // MARK: a valid order

    @Test("a valid order is parsed completely")
    func validOrder() throws {
        let request = try accepted(
            Self.body(
                orderId: "\"order.1_A-b\"",
                items: [
                    Self.item(),
                    Self.item(
                        productId: "\"PROD-005\"", productName: "\"Gaming Mouse\"", quantity: "3", unitPrice: "89.99"),
                ]))
        #expect(request.orderId == "order.1_A-b")
        #expect(request.customerId == "cust-1")
        #expect(
            request.items == [
                OrderItem(productId: "PROD-001", productName: "Laptop", quantity: 1, unitPrice: Money(cents: 129_999)),
                OrderItem(
                    productId: "PROD-005", productName: "Gaming Mouse", quantity: 3, unitPrice: Money(cents: 8_999)),
            ])
    }

    @Test("unknown extra fields are ignored, at the top and in items")
    func extraFields() throws {
        let body =
            #"{"customer_id":"c","note":{"deep":[1,2]},"items":[{"product_id":"P","product_name":"N","quantity":1,"unit_price":1,"color":"red"}]}"#
        #expect(try accepted(body).items.count == 1)
    }

    @Test("input(withGeneratedId:) uses the client's id when given, else the generated one")
    func workflowInput() throws {
        let withId = try accepted(Self.body(orderId: "\"my-order\""))
        #expect(withId.input(withGeneratedId: "gen").orderId == "my-order")
        let withoutId = try accepted(Self.body())
        #expect(withoutId.orderId == nil)
        let input = withoutId.input(withGeneratedId: "gen")
        #expect(input == OrderInput(orderId: "gen", customerId: "cust-1", items: withoutId.items))
    }

    // MARK: body

    @Test(
        "malformed JSON is its own error",
        arguments: ["", "{", "{\"customer_id\": }", "not json", "{\"a\":1,}", "{\"a\":1}{}"])
    func malformed(body: String) {
        guard case .failure(.malformedJSON(let reason)) = parse(body) else {
            Issue.record("expected malformedJSON for \(body)")
            return
        }
        #expect(!reason.isEmpty)
    }

    @Test("a body that is JSON but not an object is refused", arguments: ["[]", "\"order\"", "42", "null", "true"])
    func notAnObject(body: String) {
        expectOnlyError(on: "body", body, containing: "must be a JSON object")
    }

    // MARK: customer_id

    @Test("customer_id length boundaries: 1 and 64 accepted")
    func customerIdLengthOK() throws {
        #expect(try accepted(Self.body(customerId: Self.quoted("a"))).customerId == "a")
        let sixtyFour = String(repeating: "c", count: 64)
        #expect(try accepted(Self.body(customerId: Self.quoted(sixtyFour))).customerId == sixtyFour)
    }

    @Test("customer_id length boundaries: 0 and 65 refused", arguments: [0, 65])
    func customerIdLengthBad(length: Int) {
        expectOnlyError(on: "customer_id", Self.body(customerId: Self.quoted(String(repeating: "c", count: length))))
    }

    @Test(
        "customer_id characters outside [A-Za-z0-9_-] are refused",
        arguments: ["a b", "a.b", "ä", "a/b", "a\\u0000", "😀"])
    func customerIdPattern(id: String) {
        expectOnlyError(on: "customer_id", Self.body(customerId: Self.quoted(id)), containing: "1–64 characters")
    }

    @Test("customer_id missing or of the wrong type")
    func customerIdType() {
        expectOnlyError(on: "customer_id", #"{"items":[\#(Self.item())]}"#, containing: "is required")
        expectOnlyError(on: "customer_id", Self.body(customerId: "42"), containing: "must be a string, not a number")
        expectOnlyError(on: "customer_id", Self.body(customerId: "null"), containing: "not null")
    }

    // MARK: order_id

    @Test(
        "order_id accepted forms",
        arguments: ["a", "A.b_c-9", String(repeating: "o", count: 64), "550e8400-e29b-41d4-a716-446655440000"])
    func orderIdOK(id: String) throws {
        #expect(try accepted(Self.body(orderId: Self.quoted(id))).orderId == id)
    }

    @Test("order_id absent or null means generate one")
    func orderIdAbsent() throws {
        #expect(try accepted(Self.body()).orderId == nil)
        #expect(try accepted(Self.body(orderId: "null")).orderId == nil)
    }

    @Test(
        "order_id refused forms", arguments: ["", String(repeating: "o", count: 65), "a b", "a/b", "a:b", "ö", "a\\n"])
    func orderIdBad(id: String) {
        expectOnlyError(on: "order_id", Self.body(orderId: Self.quoted(id)))
    }

    @Test("order_id of the wrong type")
    func orderIdType() {
        expectOnlyError(on: "order_id", Self.body(orderId: "7"), containing: "must be a string")
    }

    // MARK: items

    @Test("item count boundaries: 1 and 100 accepted", arguments: [1, 100])
    func itemCountOK(count: Int) throws {
        #expect(try accepted(Self.body(items: Array(repeating: Self.item(), count: count))).items.count == count)
    }

    @Test("item count boundaries: 0 and 101 refused", arguments: [0, 101])
    func itemCountBad(count: Int) {
        expectOnlyError(
            on: "items", Self.body(items: Array(repeating: Self.item(), count: count)), containing: "1–100 items")
    }

    @Test("items missing or not an array")
    func itemsType() {
        expectOnlyError(on: "items", #"{"customer_id":"c"}"#, containing: "is required")
        expectOnlyError(on: "items", #"{"customer_id":"c","items":{}}"#, containing: "must be an array, not an object")
    }

    @Test("an item that is not an object is named by index")
    func itemNotObject() {
        expectOnlyError(
            on: "items[1]", Self.body(items: [Self.item(), "\"PROD-001\""]), containing: "must be an object")
    }

    // MARK: product_id and product_name

    @Test("product_id length boundaries", arguments: [(1, true), (64, true), (0, false), (65, false)])
    func productIdLength(length: Int, ok: Bool) throws {
        let body = Self.body(items: [Self.item(productId: Self.quoted(String(repeating: "p", count: length)))])
        if ok {
            #expect(try accepted(body).items[0].productId.count == length)
        } else {
            expectOnlyError(on: "items[0].product_id", body, containing: "1–64 characters")
        }
    }

    @Test("product_id counts characters, not bytes")
    func productIdUnicode() throws {
        let body = Self.body(items: [Self.item(productId: Self.quoted(String(repeating: "é", count: 64)))])
        #expect(try accepted(body).items[0].productId.unicodeScalars.count == 64)
    }

    @Test("product fields must not contain control characters (PostgreSQL cannot store NUL)")
    func controlCharacters() {
        expectOnlyError(
            on: "items[0].product_id", Self.body(items: [Self.item(productId: #""P\u0000""#)]), containing: "control")
        expectOnlyError(
            on: "items[0].product_name", Self.body(items: [Self.item(productName: #""a\nb""#)]), containing: "control")
    }

    @Test("product_name is required, a string of 1–200 characters")
    func productName() throws {
        let missing = Self.body(items: [#"{"product_id":"P","quantity":1,"unit_price":1}"#])
        expectOnlyError(on: "items[0].product_name", missing, containing: "is required")
        expectOnlyError(
            on: "items[0].product_name", Self.body(items: [Self.item(productName: "5")]), containing: "must be a string"
        )
        expectOnlyError(on: "items[0].product_name", Self.body(items: [Self.item(productName: "\"\"")]))
        expectOnlyError(
            on: "items[0].product_name",
            Self.body(items: [Self.item(productName: Self.quoted(String(repeating: "n", count: 201)))]))
        let longest = String(repeating: "n", count: 200)
        #expect(
            try accepted(Self.body(items: [Self.item(productName: Self.quoted(longest))])).items[0].productName
                == longest)
    }

    // MARK: quantity

    @Test("quantity accepted values", arguments: [("1", 1), ("1000", 1000), ("2.0", 2), ("5e2", 500), ("1E3", 1000)])
    func quantityOK(literal: String, value: Int) throws {
        #expect(try accepted(Self.body(items: [Self.item(quantity: literal)])).items[0].quantity == value)
    }

    @Test("quantity out of range", arguments: ["0", "1001", "-1", "-0", "99999999999999999999999", "1e400"])
    func quantityRange(literal: String) {
        expectOnlyError(
            on: "items[0].quantity", Self.body(items: [Self.item(quantity: literal)]), containing: "from 1 to 1000")
    }

    @Test("quantity must be whole", arguments: ["1.5", "0.999", "1e-1"])
    func quantityWhole(literal: String) {
        expectOnlyError(
            on: "items[0].quantity", Self.body(items: [Self.item(quantity: literal)]), containing: "whole number")
    }

    @Test("quantity must be a JSON number, not a string or anything else", arguments: ["\"2\"", "true", "null", "[1]"])
    func quantityType(literal: String) {
        expectOnlyError(
            on: "items[0].quantity", Self.body(items: [Self.item(quantity: literal)]), containing: "must be a number")
    }

    // MARK: unit_price

    @Test(
        "unit_price accepted values",
        arguments: [
            ("0", Int64(0)), ("0.01", 1), ("1000000", 100_000_000), ("1000000.00", 100_000_000), ("0.10", 10),
            ("1.2345e2", 12_345),
            ("-0", 0), ("1e6", 100_000_000),
        ])
    func unitPriceOK(literal: String, cents: Int64) throws {
        #expect(
            try accepted(Self.body(items: [Self.item(unitPrice: literal)])).items[0].unitPrice == Money(cents: cents))
    }

    @Test("unit_price out of range", arguments: ["-0.01", "-1", "1000000.01", "1000001", "1e7", "1e400", "-0.001"])
    func unitPriceRange(literal: String) {
        expectOnlyError(
            on: "items[0].unit_price", Self.body(items: [Self.item(unitPrice: literal)]),
            containing: "between 0 and 1000000")
    }

    @Test("unit_price with more than two decimals", arguments: ["1.005", "0.001", "1e-3", "999999.999"])
    func unitPriceDecimals(literal: String) {
        expectOnlyError(
            on: "items[0].unit_price", Self.body(items: [Self.item(unitPrice: literal)]),
            containing: "two decimal places")
    }

    @Test("unit_price must be a JSON number", arguments: ["\"12.50\"", "null", "{}"])
    func unitPriceType(literal: String) {
        expectOnlyError(
            on: "items[0].unit_price", Self.body(items: [Self.item(unitPrice: literal)]), containing: "must be a number"
        )
    }

    @Test("missing item fields are each named")
    func missingItemFields() {
        let errors = fieldErrors(Self.body(items: ["{}"]))
        #expect(
            errors.map(\.field) == [
                "items[0].product_id", "items[0].product_name", "items[0].quantity", "items[0].unit_price",
            ])
        #expect(errors.allSatisfy { $0.message == "is required" })
    }

    // MARK: all at once

    @Test("every error is returned at once, in document order")
    func allErrorsAtOnce() {
        let body = Self.body(
            orderId: "\"bad id\"", customerId: "\"\"",
            items: [
                Self.item(),
                Self.item(productId: "\"\"", quantity: "1.5", unitPrice: "1.005"),
                "7",
                Self.item(quantity: "\"2\"", unitPrice: "-0.01"),
            ])
        let errors = fieldErrors(body)
        #expect(
            errors.map(\.field) == [
                "order_id", "customer_id",
                "items[1].product_id", "items[1].quantity", "items[1].unit_price",
                "items[2]",
                "items[3].quantity", "items[3].unit_price",
            ])
    }

    @Test("too many items and bad items are reported together")
    func countAndItems() {
        var items = Array(repeating: Self.item(), count: 101)
        items[100] = Self.item(quantity: "0")
        #expect(fieldErrors(Self.body(items: items)).map(\.field) == ["items", "items[100].quantity"])
    }

    @Test("hostile literals are echoed shortened")
    func longLiteralEcho() {
        let huge = "1" + String(repeating: "0", count: 10_000)
        let errors = fieldErrors(Self.body(items: [Self.item(quantity: huge)]))
        #expect(errors.count == 1)
        #expect((errors.first?.message.count ?? .max) < 100)
    }

    @Test("errors describe themselves")
    func descriptions() {
        let error = OrderRequestError.invalid([
            FieldError(field: "items[0].quantity", message: "must be a whole number, not 1.5")
        ])
        #expect(error.description == "invalid order: items[0].quantity: must be a whole number, not 1.5")
        #expect(error.fieldErrors.count == 1)
        #expect(OrderRequestError.malformedJSON("x").fieldErrors.isEmpty)
    }
}
