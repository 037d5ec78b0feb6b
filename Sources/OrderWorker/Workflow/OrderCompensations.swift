import TemporalBridge

/// The compensations an order has earned so far, run in reverse order on failure or cancellation.
struct OrderCompensations: Sendable {
    enum Compensation: Sendable, Equatable {
        case releaseInventory
        case refundPayment
    }

    private(set) var pending: [Compensation] = []

    var needsRefund: Bool { pending.contains(.refundPayment) }
    var needsRelease: Bool { pending.contains(.releaseInventory) }

    /// Runs a step that `compensation` undoes. The compensation is owed unless the step failed
    /// with a business failure (its transaction was rolled back, so nothing happened): after a
    /// timeout or exhausted retries the step may well have committed.
    ///
    /// Never inlined: inlined, its frame and its step's closure would join `OrderProcess.run()`'s async frame, which
    /// every suspended run holds for its whole life.
    @inline(never)
    mutating func track<T>(_ compensation: Compensation, _ step: () async throws -> T) async throws -> T {
        do {
            let result = try await step()
            pending.append(compensation)
            return result
        } catch let failure as ActivityFailure {
            if !failure.isBusinessFailure { pending.append(compensation) }
            throw failure
        } catch {
            if !(error is CancellationError) { pending.append(compensation) }
            throw error
        }
    }

    /// Last earned first.
    var inReverse: [Compensation] { pending.reversed() }
}
