/// Commands produced by workflow code that no history event has matched yet, in order.
///
/// During replay each command event in history must match the head of this queue; what is left
/// after the live activation is what the worker sends to the server.
struct CommandOutbox {
    struct Entry {
        /// Identifies the producer, so a command cancelled before it was sent can be dropped.
        let key: String
        let command: Temporal_Api_Command_V1_Command
        /// Called with the history event that matched this command.
        let onMatched: (Temporal_Api_History_V1_HistoryEvent) -> Void
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var commands: [Temporal_Api_Command_V1_Command] { entries.map(\.command) }

    mutating func append(
        key: String, _ command: Temporal_Api_Command_V1_Command,
        onMatched: @escaping (Temporal_Api_History_V1_HistoryEvent) -> Void = { _ in }
    ) {
        entries.append(Entry(key: key, command: command, onMatched: onMatched))
    }

    /// Removes a command not yet sent; returns false when it already matched an event.
    mutating func drop(key: String) -> Bool {
        guard let index = entries.firstIndex(where: { $0.key == key }) else { return false }
        entries.remove(at: index)
        return true
    }

    func contains(key: String) -> Bool { entries.contains { $0.key == key } }

    mutating func popFirst() -> Entry? {
        entries.isEmpty ? nil : entries.removeFirst()
    }

    mutating func mapCommands(_ transform: (inout Temporal_Api_Command_V1_Command) -> Void) {
        entries = entries.map { entry in
            var command = entry.command
            transform(&command)
            return Entry(key: entry.key, command: command, onMatched: entry.onMatched)
        }
    }
}
