print("order-api")
