import Foundation
import SQLiteNIO
import VaporCSQLite

/// The audit chain read from the SQLite file on a read-only connection of its own, one statement
/// from the first entry to the last (one snapshot): each row's columns are copied from SQLite's
/// own buffers into the canonical bytes AuditRecorder.digest hashes, with no String, SQLiteData or
/// row value per column (building those was most of `zhengxin audit-verify`'s time). The bytes
/// are exactly AuditEntryDigest's for the same entry; `AuditChainScanTests` holds them to it.
final class AuditChainSQLiteScan: @unchecked Sendable {  // one page at a time, never two at once
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var handle: OpaquePointer?
    private var statement: OpaquePointer?
    private static let accepted = Array(AuditEvent.Result.accepted.rawValue.utf8)
    /// The hash stored in the last entry read so far.
    private var tail: [UInt8] = Array(AuditRecorder.genesis.utf8)
    /// The statement reached its end (stepping it again would start it over).
    private var done = false

    /// A scan of the database file behind `db`; nil when it is not a file (in memory).
    static func open(on db: any SQLiteDatabase) async throws -> AuditChainSQLiteScan? {
        let files = try await db.query("PRAGMA database_list")
        guard let main = files.first(where: { $0.column("name") == .text("main") }),
            case .text(let path) = main.column("file"), !path.isEmpty
        else { return nil }
        return try AuditChainSQLiteScan(path: path)
    }

    init(path: String) throws {
        guard sqlite_nio_sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
            throw failure("open \(path)")
        }
        sqlite_nio_sqlite3_busy_timeout(handle, 10_000)
        let list = AuditChainEntry.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        guard
            sqlite_nio_sqlite3_prepare_v2(handle, "SELECT \(list) FROM \"\(AuditEntryModel.schema)\" ORDER BY \"seq\"", -1, &statement, nil)
                == SQLITE_OK
        else {
            throw failure("prepare")
        }
    }

    deinit {
        sqlite_nio_sqlite3_finalize(statement)
        sqlite_nio_sqlite3_close_v2(handle)
    }

    private func failure(_ what: String) -> Failure {
        Failure(
            description: "SQLite \(what): "
                + (handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "out of memory"))
    }

    /// The next `size` entries (fewer at the end, none after it).
    func next(size: Int) throws -> AuditChainPage {
        var seqs: [Int64] = [], linked: [Bool] = [], slots: [AuditChainPage.Slot] = [], arena: [UInt8] = []
        var bindings: [AuditChainPage.Binding] = []
        seqs.reserveCapacity(size); linked.reserveCapacity(size); slots.reserveCapacity(size)
        arena.reserveCapacity(size * 1024)
        var previous = tail
        for _ in 0..<size where !done {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE {
                done = true
                break
            }
            guard step == SQLITE_ROW else { throw failure("step") }
            let start = arena.count
            let seq = try integer(0)
            seqs.append(seq)
            AuditCanonicalBytes.decimalField(seq, &arena, start: start)
            AuditCanonicalBytes.decimalField(try integer(1), &arena, start: start)
            for column: Int32 in 2...15 {
                if column == 2 || column == 4 || column == 8 {
                    try uuid(column, &arena, start: start)
                } else {
                    AuditCanonicalBytes.textField(try text(column), &arena, start: start)
                }
            }
            let prevHashEnd = arena.count
            let prevHashStart = prevHashEnd - Int(sqlite_nio_sqlite3_column_bytes(statement, 15))  // the field just written
            // Compared through a pointer: a slice of the arena kept alive across the next append
            // would make that append copy the whole arena (quadratic in the page).
            linked.append(
                arena.withUnsafeBytes { previous.elementsEqual(UnsafeRawBufferPointer(rebasing: $0[prevHashStart..<prevHashEnd])) })
            let format = try integer(18)
            let state = try text(19)
            if format != AuditEntryFormat.original {  // AuditCanonicalBytes.boundFields, from the columns' bytes
                AuditCanonicalBytes.decimalField(format, &arena, start: start)
                try uuid(17, &arena, start: start)
                AuditCanonicalBytes.textField(state, &arena, start: start)
            }
            if sqlite_nio_sqlite3_column_type(statement, 8) != SQLITE_NULL,
                AuditChainPage.Binding.qualifies(
                    accepted: try text(9).elementsEqual(Self.accepted), format: format, stateIsEmpty: state.isEmpty)
            {
                guard let projectId = UUIDText.parse(String(decoding: try text(8), as: UTF8.self)) else { throw corrupt(8) }
                bindings.append(
                    .init(index: seqs.count - 1, projectId: projectId, format: format, state: String(decoding: state, as: UTF8.self)))
            }
            let canonicalEnd = arena.count
            arena.append(contentsOf: try text(16))
            slots.append(.init(canonical: start..<canonicalEnd, hash: canonicalEnd..<arena.count))
            previous = arena.withUnsafeBytes { Array(UnsafeRawBufferPointer(rebasing: $0[canonicalEnd...])) }
        }
        tail = previous
        return AuditChainPage(
            seqs: seqs, linked: linked, arena: arena, slots: slots, lastHash: String(decoding: previous, as: UTF8.self),
            bindings: bindings)
    }

    private func integer(_ column: Int32) throws -> Int64 {
        guard sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_INTEGER else { throw corrupt(column) }
        return sqlite_nio_sqlite3_column_int64(statement, column)
    }

    /// The column's UTF-8 bytes, valid until the next step.
    private func text(_ column: Int32) throws -> UnsafeRawBufferPointer {
        guard sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_TEXT else { throw corrupt(column) }
        let bytes = sqlite_nio_sqlite3_column_text(statement, column)
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))
    }

    private func uuid(_ column: Int32, _ arena: inout [UInt8], start: Int) throws {
        if sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_NULL {
            AuditCanonicalBytes.uuidField(nil, &arena, start: start)
        } else if !AuditCanonicalBytes.uuidTextField(try text(column), &arena, start: start) {
            throw corrupt(column)
        }
    }

    private func corrupt(_ column: Int32) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: AuditChainEntry.columns[Int(column)]))
    }
}
