import Foundation

/// The `temporal` CLI the tests run: `TEMPORAL_CLI` when set (scripts/lib.sh sets it), else the project venv's
/// (`make deps` installs it in .venv/bin), else the first `temporal` on PATH.
public enum TemporalCLI {
    public static let path: String = {
        if let configured = ProcessInfo.processInfo.environment["TEMPORAL_CLI"], !configured.isEmpty {
            return configured
        }
        // This file is Tests/TestSupport/TemporalCLI.swift: the package root is two folders up.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let venv = root.appendingPathComponent(".venv/bin/temporal").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "temporal"
    }()
}
