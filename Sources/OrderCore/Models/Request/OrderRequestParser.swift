/// Turns a `POST /api/orders` body into an `OrderRequest`, or into every reason it is unacceptable.
///
/// The body is parsed with the strict `JSONParser`, so numbers are judged on their literal text:
/// `1.005` is refused as three decimals instead of being rounded, `1.5` is not a quantity, `"2"` is a
/// string and not a number. Unknown extra fields are ignored. Only shape and limits are checked here;
/// whether products exist and what they cost is the workflow's business.
public enum OrderRequestParser {
    public static func parse(_ body: some Collection<UInt8>) -> Result<OrderRequest, OrderRequestError> {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            return .failure(.malformedJSON(error.description))
        }
        guard case .object(let object) = document else {
            return .failure(
                .invalid([FieldError(field: "body", message: "must be a JSON object, not \(document.kindName)")]))
        }
        var errors = FieldErrorList()
        let orderId = validateOrderId(object["order_id"], errors: &errors)
        let customerId = validateCustomerId(object["customer_id"], errors: &errors)
        let items = validateItems(object["items"], errors: &errors)
        guard errors.isEmpty, let customerId, let items else {
            return .failure(.invalid(errors.errors))
        }
        return .success(OrderRequest(orderId: orderId, customerId: customerId, items: items))
    }

    // MARK: top-level fields

    /// Optional: absent or null means "generate one".
    private static func validateOrderId(_ value: JSONValue?, errors: inout FieldErrorList) -> String? {
        if value == nil || value == .null { return nil }
        guard let id = errors.requireString(value, field: "order_id") else { return nil }
        guard OrderRequestLimits.idLength.contains(id.unicodeScalars.count),
            id.unicodeScalars.allSatisfy(OrderRequestLimits.isOrderIdCharacter)
        else {
            errors.add("order_id", "must be 1–64 characters, each a letter A–Z/a–z, a digit, '.', '_' or '-'")
            return nil
        }
        return id
    }

    private static func validateCustomerId(_ value: JSONValue?, errors: inout FieldErrorList) -> String? {
        guard let id = errors.requireString(value, field: "customer_id") else { return nil }
        guard OrderRequestLimits.idLength.contains(id.unicodeScalars.count),
            id.unicodeScalars.allSatisfy(OrderRequestLimits.isCustomerIdCharacter)
        else {
            errors.add("customer_id", "must be 1–64 characters, each a letter A–Z/a–z, a digit, '_' or '-'")
            return nil
        }
        return id
    }

    private static func validateItems(_ value: JSONValue?, errors: inout FieldErrorList) -> [OrderItem]? {
        let elements: [JSONValue]
        switch value {
        case .array(let array): elements = array
        case nil:
            errors.add("items", "is required")
            return nil
        case let other?:
            errors.add("items", "must be an array, not \(other.kindName)")
            return nil
        }
        let limits = OrderRequestLimits.itemCount
        var valid = true
        if !limits.contains(elements.count) {
            errors.add("items", "must contain \(limits.lowerBound)–\(limits.upperBound) items, not \(elements.count)")
            valid = false
        }
        // Still look at every element so all problems are reported in one round trip.
        var items: [OrderItem] = []
        for (index, element) in elements.enumerated() {
            if let item = validateItem(element, path: "items[\(index)]", errors: &errors) {
                items.append(item)
            } else {
                valid = false
            }
        }
        return valid ? items : nil
    }

    // MARK: one item

    private static func validateItem(_ value: JSONValue, path: String, errors: inout FieldErrorList) -> OrderItem? {
        guard case .object(let object) = value else {
            errors.add(path, "must be an object, not \(value.kindName)")
            return nil
        }
        let productId = validateText(
            object["product_id"], field: "\(path).product_id", length: OrderRequestLimits.idLength, errors: &errors)
        let productName = validateText(
            object["product_name"], field: "\(path).product_name", length: OrderRequestLimits.productNameLength,
            errors: &errors)
        let quantity = validateQuantity(object["quantity"], field: "\(path).quantity", errors: &errors)
        let unitPrice = validateUnitPrice(object["unit_price"], field: "\(path).unit_price", errors: &errors)
        guard let productId, let productName, let quantity, let unitPrice else { return nil }
        return OrderItem(productId: productId, productName: productName, quantity: quantity, unitPrice: unitPrice)
    }

    private static func validateText(
        _ value: JSONValue?, field: String, length: ClosedRange<Int>, errors: inout FieldErrorList
    ) -> String? {
        guard let text = errors.requireString(value, field: field) else { return nil }
        guard length.contains(text.unicodeScalars.count) else {
            errors.add(field, "must be \(length.lowerBound)–\(length.upperBound) characters long")
            return nil
        }
        guard !text.unicodeScalars.contains(where: OrderRequestLimits.isControlCharacter) else {
            errors.add(field, "must not contain control characters")
            return nil
        }
        return text
    }

    /// An integer 1–1000. A number whose exact value is whole (`2`, `2.0`, `2e0`) counts as integer;
    /// `1.5` does not, and neither does the string `"2"`.
    private static func validateQuantity(_ value: JSONValue?, field: String, errors: inout FieldErrorList) -> Int? {
        guard let text = errors.requireNumber(value, field: field) else { return nil }
        let limits = OrderRequestLimits.quantity
        let rangeMessage = "must be an integer from \(limits.lowerBound) to \(limits.upperBound), not \(echo(text))"
        guard let literal = DecimalLiteral(jsonText: text) else {
            errors.add(field, rangeMessage)
            return nil
        }
        switch literal.scaled(byPowerOfTen: 0) {
        case .value(let quantity) where limits.contains(Int(quantity)):
            return Int(quantity)
        case .notAnInteger:
            errors.add(field, "must be a whole number, not \(echo(text))")
        case .value, .overflow:
            errors.add(field, rangeMessage)
        }
        return nil
    }

    /// 0 to 1,000,000 with at most two decimals, judged exactly on the literal text.
    private static func validateUnitPrice(_ value: JSONValue?, field: String, errors: inout FieldErrorList) -> Money? {
        guard let text = errors.requireNumber(value, field: field) else { return nil }
        let rangeMessage =
            "must be between 0 and \(OrderRequestLimits.maximumUnitPrice.jsonNumberText), not \(echo(text))"
        guard let literal = DecimalLiteral(jsonText: text) else {
            errors.add(field, rangeMessage)
            return nil
        }
        if literal.isNegative && !literal.isZero {
            errors.add(field, rangeMessage)
            return nil
        }
        switch literal.scaled(byPowerOfTen: 2) {
        case .value(let cents) where cents <= OrderRequestLimits.maximumUnitPrice.cents:
            return Money(cents: cents)
        case .notAnInteger:
            errors.add(field, "must have at most two decimal places, not \(echo(text))")
        case .value, .overflow:
            errors.add(field, rangeMessage)
        }
        return nil
    }

    /// The client's literal, shortened so a hostile 60 KB number does not bloat the error response.
    private static func echo(_ text: String) -> String {
        text.count <= 32 ? text : String(text.prefix(32)) + "…"
    }
}
