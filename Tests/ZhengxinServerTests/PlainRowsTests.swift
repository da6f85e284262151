import Fluent
import Foundation
import SQLKit
import Testing

@testable import ZhengxinServer

/// PlainRows reads a SQLKit query's rows by position from either driver: each kind of value the
/// list and report read, NULL, and every bind type they bind.
@Suite("Plain rows")
struct PlainRowsTests {
    @Test("integers, text, booleans, UUIDs and NULL read back as written; binds of each type", arguments: Backend.all)
    func values(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let db = world.app.db
            let sql = db as! any SQLDatabase
            let id = UUID()
            try await sql.raw("CREATE TABLE plain_rows_probe (id UUID NOT NULL, n BIGINT, t TEXT, b BOOLEAN NOT NULL)").run()
            try await sql.raw(
                "INSERT INTO plain_rows_probe (id, n, t, b) VALUES (\(bind: id), \(bind: Int64(9_999_999_999)), \(bind: "郑州"), \(bind: true))"
            ).run()
            try await sql.raw("INSERT INTO plain_rows_probe (id, n, t, b) VALUES (\(bind: UUID()), NULL, NULL, \(bind: false))").run()
            let query: SQLQueryString = """
                SELECT id, n, t, b, COUNT(*) OVER () AS total FROM plain_rows_probe
                WHERE b = \(bind: true) OR n = \(bind: 5) OR t = \(bind: "x") ORDER BY n
                """
            let rows = try await PlainRows.all(query, on: db)
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.uuid(0) == id && row.int64(1) == 9_999_999_999 && row.text(2) == "郑州" && row.bool(3) && row.int(4) == 1)
            let all = try await PlainRows.all(SQLQueryString("SELECT n, t, b FROM plain_rows_probe ORDER BY b"), on: db)
            #expect(try all[0].optionalInt64(0) == nil && all[0].optionalText(1) == nil && all[0].bool(2) == false)
            #expect(throws: DecodingError.self) { try all[0].text(1) }
            #expect(throws: DecodingError.self) { try all[1].uuid(1) }
        }
    }

    @Test("a whole REAL reads as an integer; one past Int64, infinite or NaN is a mismatch, never a trap")
    func realsAsIntegers() throws {
        let row = PlainRows.Row(cells: [.real(3), .real(9.3e18), .real(-.infinity), .real(.nan), .real(2.5)])
        #expect(try row.int64(0) == 3)
        for i in 1..<5 { #expect(throws: DecodingError.self) { try row.int64(i) } }
    }
}
