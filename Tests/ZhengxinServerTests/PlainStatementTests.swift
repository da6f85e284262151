import FluentKit
import Foundation
import SQLKit
import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// PlainStatement: PostgreSQL prepares the statement once per connection, SQLite runs it as any
/// other; a statement PostgreSQL refused to prepare on a connection still runs there once it can.
@Suite("Prepared statements")
struct PlainStatementTests {
    enum LateColumn: PlainStatement {
        static let name = "test_late_column"
        static let sql = "SELECT id, late FROM plain_statement_probe WHERE id = $1 AND note = $2"
    }

    @Test("the same rows on both databases; refused once on a connection, answered there once the column exists", arguments: Backend.all)
    func refusedThenAnswered(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let sql = app.db as! any SQLDatabase
                let id = UUID()
                try await sql.raw("CREATE TABLE plain_statement_probe (id UUID PRIMARY KEY, note TEXT NOT NULL)").run()
                try await sql.raw("INSERT INTO plain_statement_probe (id, note) VALUES (\(bind: id), 'a')").run()
                // One connection throughout, as a pooled one would be used again.
                try await app.db.withConnection { db in
                    await #expect(throws: (any Error).self) { try await PlainRows.all(LateColumn.self, [id, "a"], on: db) }
                    try await (db as! any SQLDatabase).raw("ALTER TABLE plain_statement_probe ADD COLUMN late INTEGER NOT NULL DEFAULT 7")
                        .run()
                    for _ in 0..<2 {
                        let rows = try await PlainRows.all(LateColumn.self, [id, "a"], on: db)
                        #expect(rows.count == 1)
                        #expect(try rows.first?.uuid(0) == id && rows.first?.int(1) == 7)
                        #expect(try await PlainRows.all(LateColumn.self, [id, "b"], on: db).isEmpty, "the second parameter bound")
                    }
                }
                try await sql.raw("DROP TABLE plain_statement_probe").run()
            }
        }
    }
}
