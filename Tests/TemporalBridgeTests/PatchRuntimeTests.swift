import Foundation
import Testing

@testable import TemporalBridge

private let options = ActivityOptions(startToCloseTimeout: .seconds(10))

/// The four versions of one change, as sdk-core's patch tests name them: v1 before the change,
/// v2 `patched` with both paths, v3 `deprecatePatch` with the new path only, v4 the call removed.
private enum Version: Int { case v1 = 1, v2, v3, v4 }

private func workflow(_ version: Version, patchId: String = "p1") -> WorkflowDefinition {
    WorkflowDefinition(name: "Changed") { (_: String) async throws -> String in
        switch version {
        case .v1:
            try await Workflow.executeActivity("Old", input: 1, options: options)
            return "old"
        case .v2:
            if Workflow.patched(patchId) {
                try await Workflow.executeActivity("New", input: 1, options: options)
                return "new"
            }
            try await Workflow.executeActivity("Old", input: 1, options: options)
            return "old"
        case .v3:
            Workflow.deprecatePatch(patchId)
            try await Workflow.executeActivity("New", input: 1, options: options)
            return "new"
        case .v4:
            try await Workflow.executeActivity("New", input: 1, options: options)
            return "new"
        }
    }
}

/// Runs `version` live to completion and returns its closed history (what the server would hold).
private func record(_ version: Version, patchId: String = "p1") throws -> Temporal_Api_History_V1_History {
    var script = ScriptedRun(workflow(version, patchId: patchId), input: "x")
    try script.task()
    try script.task { $0.activityCompleted("1", result: EmptyValue()) }
    return script.closedHistory()
}

private func replay(_ history: Temporal_Api_History_V1_History, with version: Version, patchId: String = "p1")
    throws -> [Temporal_Api_Command_V1_Command]
{
    try WorkflowReplayer(workflows: [workflow(version, patchId: patchId)]).replay(history)
}

private func markers(_ history: Temporal_Api_History_V1_History) -> [PatchMarker] {
    history.events.compactMap { PatchMarker(event: $0) }
}

/// Removes the TemporalChangeVersion upserts and the internal flags, as a worker without the
/// search-attribute flag (an older sdk-core) writes the same run.
private func withoutSearchAttributes(_ history: Temporal_Api_History_V1_History) -> Temporal_Api_History_V1_History {
    var copy = history
    copy.events = history.events.filter { $0.eventType != .upsertWorkflowSearchAttributes }
    var newIds: [Int64: Int64] = [:]
    for index in copy.events.indices {
        newIds[copy.events[index].eventID] = Int64(index + 1)
        copy.events[index].eventID = Int64(index + 1)
    }
    for index in copy.events.indices {
        switch copy.events[index].attributes {
        case .workflowTaskCompletedEventAttributes?:
            copy.events[index].workflowTaskCompletedEventAttributes.sdkMetadata.coreUsedFlags = []
        case .activityTaskStartedEventAttributes(let a)?:
            copy.events[index].activityTaskStartedEventAttributes.scheduledEventID = newIds[a.scheduledEventID]!
        case .activityTaskCompletedEventAttributes(let a)?:
            copy.events[index].activityTaskCompletedEventAttributes.scheduledEventID = newIds[a.scheduledEventID]!
            copy.events[index].activityTaskCompletedEventAttributes.startedEventID = newIds[a.startedEventID]!
        default:
            break
        }
    }
    return copy
}

/// Marks every patch marker of `history` deprecated, as a v3 worker would have written them.
private func deprecatingMarkers(_ history: Temporal_Api_History_V1_History) -> Temporal_Api_History_V1_History {
    var copy = history
    for index in copy.events.indices {
        guard let marker = PatchMarker(event: copy.events[index]) else { continue }
        copy.events[index].markerRecordedEventAttributes.details =
            PatchMarker(id: marker.id, deprecated: true).details
    }
    return copy
}

@Suite struct PatchRuntimeTests {
    @Test func aLiveTaskTakesTheNewPathAndRecordsTheMarkerAsSdkCoreDoes() throws {
        var script = ScriptedRun(workflow(.v2), input: "x")
        let commands = try script.task()
        #expect(commands.map(\.commandType) == [.recordMarker, .upsertWorkflowSearchAttributes, .scheduleActivityTask])
        #expect(commands.last?.activityType == "New")
        let marker = commands[0].recordMarkerCommandAttributes
        #expect(marker.markerName == "core_patch")
        #expect(Array(marker.details.keys) == ["patch-data"])
        let payload = try #require(marker.details["patch-data"]?.payloads.first)
        #expect(payload.metadata["encoding"] == Data("json/plain".utf8))
        #expect(String(decoding: payload.data, as: UTF8.self) == #"{"id":"p1","deprecated":false}"#)
        let attribute = try #require(
            commands[1].upsertWorkflowSearchAttributesCommandAttributes.searchAttributes.indexedFields[
                "TemporalChangeVersion"])
        #expect(String(decoding: attribute.data, as: UTF8.self) == #"["p1"]"#)
        // The completion carrying the upsert names sdk-core's flag 2, once.
        #expect(script.lastCoreFlags == [2])
        try script.task { $0.activityCompleted("1", result: EmptyValue()) }
        #expect(script.lastCoreFlags == [])
    }

    @Test func aHistoryWithoutTheMarkerReplaysOnTheOldPath() throws {
        let commands = try replay(try record(.v1), with: .v2)
        #expect(commands.isEmpty)
    }

    @Test func aHistoryWithTheMarkerReplaysOnTheNewPath() throws {
        let history = try record(.v2)
        #expect(markers(history) == [PatchMarker(id: "p1", deprecated: false)])
        #expect(try replay(history, with: .v2).isEmpty)
        // Also as written by a worker that does not upsert the search attribute.
        #expect(try replay(withoutSearchAttributes(history), with: .v2).isEmpty)
    }

    @Test func oldCodeRejectsANonDeprecatedMarkerNamingTheEvent() throws {
        let history = try record(.v2)
        let markerEvent = try #require(history.events.first { $0.eventType == .markerRecorded })
        for version in [Version.v1, .v4] {
            let error = try #require(throws: NonDeterminismError.self) { try replay(history, with: version) }
            #expect(error.message.contains("history event \(markerEvent.eventID)"))
            #expect(error.message.contains("p1"))
        }
    }

    @Test func aDeprecatedMarkerIsSkippedByCodeWithoutTheCall() throws {
        let history = deprecatingMarkers(try record(.v2))
        #expect(try replay(history, with: .v4).isEmpty)
        #expect(try replay(withoutSearchAttributes(history), with: .v4).isEmpty)
    }

    @Test func deprecatePatchWritesADeprecatedMarkerAndReplaysEveryNewPathHistory() throws {
        let history = try record(.v3)
        #expect(markers(history) == [PatchMarker(id: "p1", deprecated: true)])
        #expect(try replay(history, with: .v3).isEmpty)
        #expect(try replay(history, with: .v4).isEmpty)  // deprecated: skipped by code without the call
        #expect(try replay(history, with: .v2).isEmpty)
        #expect(try replay(try record(.v2), with: .v3).isEmpty)
        #expect(try replay(try record(.v4), with: .v3).isEmpty)
    }

    @Test func aMarkerForAnotherChangeIsNonDeterminism() throws {
        // patched("p2") replaying a history with p1's marker: p2 takes the old path, p1's marker is unasked for.
        let history = try record(.v2, patchId: "p1")
        let error = try #require(throws: NonDeterminismError.self) {
            try replay(withoutSearchAttributes(history), with: .v2, patchId: "p2")
        }
        #expect(error.message.contains("\"p1\""), "\(error)")
    }

    @Test func markersAreMatchedInOrder() throws {
        func both(_ first: String, _ second: String) -> WorkflowDefinition {
            WorkflowDefinition(name: "Both") { (_: String) async throws -> Bool in
                let a = Workflow.patched(first)
                let b = Workflow.patched(second)
                try await Workflow.sleep(for: .seconds(1))
                return a && b
            }
        }
        var script = ScriptedRun(both("p1", "p2"), input: "x")
        try script.task()
        try script.task { $0.timerFired("1") }
        let history = withoutSearchAttributes(script.closedHistory())
        #expect(try WorkflowReplayer(workflows: [both("p1", "p2")]).replay(history).isEmpty)
        let error = try #require(throws: NonDeterminismError.self) {
            try WorkflowReplayer(workflows: [both("p2", "p1")]).replay(history)
        }
        #expect(error.message.contains("patch id \"p1\" in history, \"p2\" in code"), "\(error)")
    }

    @Test func theFirstCallDecidesForTheRunAndMarksOnce() throws {
        let twice = WorkflowDefinition(name: "Twice") { (_: String) async throws -> [Bool] in
            let first = Workflow.patched("a")
            try await Workflow.sleep(for: .seconds(1))
            let second = Workflow.patched("a")
            Workflow.deprecatePatch("b")
            return [first, second]
        }
        var script = ScriptedRun(twice, input: "x")
        var commands = try script.task()
        #expect(commands.map(\.commandType) == [.recordMarker, .upsertWorkflowSearchAttributes, .startTimer])
        commands = try script.task { $0.timerFired("1") }
        #expect(
            commands.map(\.commandType) == [.recordMarker, .upsertWorkflowSearchAttributes, .completeWorkflowExecution])
        let ids = commands[1].upsertWorkflowSearchAttributesCommandAttributes.searchAttributes.indexedFields[
            "TemporalChangeVersion"]
        #expect(ids.map { String(decoding: $0.data, as: UTF8.self) } == #"["a","b"]"#)
        #expect(try commands[2].decodedResult(as: [Bool].self) == [true, true])
        #expect(try WorkflowReplayer(workflows: [twice]).replay(script.closedHistory()).isEmpty)
    }

    @Test func aMarkerSeenInAnEarlierTaskStillCountsLater() throws {
        // Recorded live: the marker lands in task 1, the second patched call comes in task 2.
        let later = WorkflowDefinition(name: "Later") { (_: String) async throws -> String in
            _ = Workflow.patched("early")
            try await Workflow.sleep(for: .seconds(1))
            return Workflow.patched("early") ? "new" : "old"
        }
        var script = ScriptedRun(later, input: "x")
        try script.task()
        let commands = try script.task { $0.timerFired("1") }
        #expect(try commands.last?.decodedResult(as: String.self) == "new")
        #expect(try WorkflowReplayer(workflows: [later]).replay(script.closedHistory()).isEmpty)
    }

    @Test func legacyMarkerDetailsAreRead() throws {
        var attributes = Temporal_Api_History_V1_MarkerRecordedEventAttributes()
        attributes.markerName = "core_patch"
        var id = Temporal_Api_Common_V1_Payloads()
        var idPayload = Temporal_Api_Common_V1_Payload()
        idPayload.data = Data("old-style".utf8)
        id.payloads = [idPayload]
        var flag = Temporal_Api_Common_V1_Payloads()
        var flagPayload = Temporal_Api_Common_V1_Payload()
        flagPayload.data = Data([1])
        flag.payloads = [flagPayload]
        attributes.details = ["patch_id": id, "deprecated": flag]
        var event = Temporal_Api_History_V1_HistoryEvent()
        event.eventType = .markerRecorded
        event.markerRecordedEventAttributes = attributes
        #expect(PatchMarker(event: event) == PatchMarker(id: "old-style", deprecated: true))
    }
}
