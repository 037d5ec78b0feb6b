public enum OrderCoreInfo { public static let name = "OrderCore" }
