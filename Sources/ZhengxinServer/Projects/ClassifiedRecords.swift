import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor
import ZhengxinCore

/// The decoded records of 涉密 projects (第十七条: visible only to the users named on them), for the
/// project list's scope and the real names of a page's 涉密 rows.
///
/// A 涉密 record rests SM4-sealed (ProjectRecordStorage), and who is named on it is known only
/// inside it, so every list used to open and decode every 涉密 record in the caller's reach. Here a
/// record is opened once per stored version: the rows are looked up by (id, version, updated_at),
/// read from the database on every call, and a record is opened again whenever that key differs
/// from the one it was opened at. Every accepted write moves `version` (ProjectVersioning), so a
/// change made by another server on the same database is seen at this server's next read: never stale.
/// One per Application (one database): the key is not the content, so two databases never share it.
final class ClassifiedRecords: Sendable {
    struct Key: Hashable, Sendable {
        var id: UUID
        var version: Int
        var updatedAt: Int64

        init(id: UUID, version: Int, updatedAt: Int64) { (self.id, self.version, self.updatedAt) = (id, version, updatedAt) }
    }

    /// Beyond this many opened records the cache starts again (memory stays bounded).
    static let capacity = 20_000
    private let opened = NIOLockedValueBox<[UUID: (key: Key, record: ProjectRecord)]>([:])

    /// The records of `keys` as stored now, by id; only rows whose key changed since they were last
    /// read are read and opened.
    func records(keys: [Key], on db: Database) async throws -> [UUID: ProjectRecord] {
        var found: [UUID: ProjectRecord] = [:]
        try await withOpened(keys, on: db) { _, record in found[record.id] = record }
        return found
    }

    /// The ids among `keys` whose records name `actor` (ProjectRecord.isVisible), without copying
    /// the records out: the project list asks this of every 涉密 row in reach on every uncached page.
    func visible(keys: [Key], to actor: Actor, on db: Database) async throws -> [UUID] {
        var ids: [UUID] = []
        try await withOpened(keys, on: db) { key, record in if record.isVisible(to: actor) { ids.append(key.id) } }
        return ids
    }

    /// Calls `body` with each key's record as stored now, opening only those whose key changed since
    /// they were last opened; cached ones are visited under the lock.
    private func withOpened(_ keys: [Key], on db: Database, _ body: (Key, ProjectRecord) -> Void) async throws {
        var missing: [UUID] = []
        opened.withLockedValue { cache in
            for key in keys {
                if let hit = cache[key.id], hit.key == key { body(key, hit.record) } else { missing.append(key.id) }
            }
        }
        guard !missing.isEmpty else { return }
        var fresh: [(Key, ProjectRecord)] = []
        for row in try await ProjectRow.all(missing, on: db) { fresh.append((row.key, try row.decoded())) }
        opened.withLockedValue { cache in
            if cache.count + fresh.count > Self.capacity { cache.removeAll(keepingCapacity: true) }
            for (key, record) in fresh { cache[key.id] = (key, record) }
        }
        for (key, record) in fresh { body(key, record) }
    }

    /// How many records are held opened (for tests).
    var openedCount: Int { opened.withLockedValue(\.count) }

    private struct StorageKey: Vapor.StorageKey, LockKey { typealias Value = ClassifiedRecords }

    /// The application's cache, made on first use.
    static func of(_ app: Application) -> ClassifiedRecords { app.shared(StorageKey.self) { ClassifiedRecords() } }
}
