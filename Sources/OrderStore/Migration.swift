import Foundation

/// One schema change shipped as `Migrations/NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    /// The numeric prefix, unique and increasing.
    public let version: Int
    /// The file name without `.sql`, e.g. `0001_initial_schema`.
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The migrations in `directory` (default: the bundled `Migrations` resource folder), by version.
    public static func load(from directory: URL? = nil) throws -> [Migration] {
        guard let directory = directory ?? Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationError.resourcesMissing
        }
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var migrations: [Migration] = []
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            guard let prefix = name.split(separator: "_", maxSplits: 1).first, let version = Int(prefix) else {
                throw MigrationError.badFileName(file.lastPathComponent)
            }
            if let previous = migrations.last, previous.version == version {
                throw MigrationError.duplicateVersion(version)
            }
            migrations.append(
                Migration(version: version, name: name, sql: try String(contentsOf: file, encoding: .utf8)))
        }
        return migrations
    }
}

public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    case resourcesMissing
    case badFileName(String)
    case duplicateVersion(Int)

    public var description: String {
        switch self {
        case .resourcesMissing: "the Migrations resource folder is missing from the OrderStore bundle"
        case .badFileName(let name): "migration file \(name) does not start with a numeric version (NNNN_name.sql)"
        case .duplicateVersion(let version): "two migration files share version \(version)"
        }
    }
}
