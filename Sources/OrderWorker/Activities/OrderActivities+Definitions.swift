import TemporalBridge

extension OrderActivities {
    /// The seven activities under their documented names (docs/workflow.md), for registration on a Worker.
    var definitions: [ActivityDefinition] {
        [
            ActivityDefinition(name: ActivityName.createOrder.rawValue) { (input: CreateOrderInput, _) in
                try await createOrder(input)
            },
            ActivityDefinition(name: ActivityName.checkInventory.rawValue) { (input: OrderReference, _) in
                try await checkInventory(input)
            },
            ActivityDefinition(name: ActivityName.screenFraud.rawValue) { (input: ScreenFraudInput, _) in
                try await screenFraud(input)
            },
            ActivityDefinition(name: ActivityName.processPayment.rawValue) { (input: ProcessPaymentInput, _) in
                try await processPayment(input)
            },
            ActivityDefinition(name: ActivityName.sendNotification.rawValue) { (input: SendNotificationInput, _) in
                try await sendNotification(input)
            },
            ActivityDefinition(name: ActivityName.releaseInventory.rawValue) { (input: OrderReference, _) in
                try await releaseInventory(input)
            },
            ActivityDefinition(name: ActivityName.refundPayment.rawValue) { (input: OrderReference, _) in
                try await refundPayment(input)
            },
        ]
    }
}
