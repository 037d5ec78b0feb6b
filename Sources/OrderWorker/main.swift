print("order-worker")
