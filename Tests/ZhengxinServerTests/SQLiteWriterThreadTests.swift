import Fluent
import Foundation
import SQLKit
import Testing

@testable import ZhengxinServer

/// A SQLite file's writer (SQLiteWriterThread): its BEGIN IMMEDIATE … COMMIT keeps what a body wrote
/// and takes back all of it when the body throws; once the application has shut it down, a write is
/// refused at once instead of waiting on a thread that no longer runs.
@Suite("SQLite writer thread")
struct SQLiteWriterThreadTests {
    private struct Planned: Error {}

    private static func count(_ writer: SQLiteWriterThread) async throws -> Int {
        try await writer.transaction(synchronous: "NORMAL", logger: Logger(label: "test")) { db in
            try await PlainRows.all(SQLQueryString("SELECT COUNT(*) FROM kept"), on: db).first!.int(0)
        }
    }

    @Test("a body's writes commit together, a throwing body's are rolled back, and after shutdown a write is refused")
    func commitsRollsBackAndRefusesAfterShutdown() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = SQLiteWriterThread(path: dir + "/w.sqlite")
        let gate = WriteGate()
        let logger = Logger(label: "test")

        try await writer.transaction(synchronous: "NORMAL", logger: logger) { db in
            let sql = db as! any SQLDatabase
            try await sql.raw("CREATE TABLE kept (n INTEGER)").run()
            try await sql.raw("INSERT INTO kept (n) VALUES (1), (2)").run()
        }
        #expect(try await Self.count(writer) == 2)

        await #expect(throws: Planned.self) {
            try await writer.transaction(synchronous: "NORMAL", logger: logger) { db in
                try await (db as! any SQLDatabase).raw("INSERT INTO kept (n) VALUES (3)").run()
                throw Planned()
            }
        }
        #expect(try await Self.count(writer) == 2)  // the insert of the failed body is gone, the connection usable

        await writer.shutdown(after: gate)
        do {
            _ = try await Self.count(writer)
            Issue.record("a write after shutdown should be refused")
        } catch let error as APIError {
            #expect(error.status == .serviceUnavailable)
            #expect(error.code == "SHUTTING_DOWN")
        }
    }
}
