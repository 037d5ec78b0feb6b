import Foundation

/// The process environment, read once per call (flags are layered on top of a copy).
enum ProcessEnvironment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }
}
