/// Workflow code waiting until a predicate over workflow state holds.
final class ConditionWaiter: @unchecked Sendable {
    let id: Int
    let predicate: () -> Bool
    /// Where the workflow awaits it (for the stack trace).
    let site: WaitSite
    let slot = ResumeSlot<Void>()

    init(id: Int, predicate: @escaping () -> Bool, site: WaitSite) {
        self.id = id
        self.predicate = predicate
        self.site = site
    }
}

extension WorkflowContext {
    func condition(_ predicate: @escaping () -> Bool, site: WaitSite) async throws {
        try checkCanStartOperation()
        if predicate() { return }
        let waiter = ConditionWaiter(id: nextConditionId, predicate: predicate, site: site)
        nextConditionId += 1
        conditions.append(waiter)
        try await withTaskCancellationHandler {
            try await waiter.slot.wait()
        } onCancel: { [self] in
            removeCondition(waiter)
            waiter.slot.resolve(.failure(CancellationError()))
        }
    }

    /// Resumes, in registration order, every waiter whose predicate now holds.
    /// Returns true when at least one was resumed (the caller then runs the executor again).
    func resumeSatisfiedConditions() -> Bool {
        var resumedAny = false
        for waiter in conditions where waiter.predicate() {
            removeCondition(waiter)
            waiter.slot.resolve(.success(()))
            resumedAny = true
        }
        return resumedAny
    }

    private func removeCondition(_ waiter: ConditionWaiter) {
        conditions.removeAll { $0.id == waiter.id }
    }
}
