import Foundation

/// Writes a line to standard error (for messages that explain why the process is exiting).
enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
