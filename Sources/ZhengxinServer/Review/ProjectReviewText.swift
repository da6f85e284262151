import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// What 查重 compares of an ordinary project beside its name (第七条, 第二十七条): 建设内容, 绩效目标 and
/// the infrastructure it plans of its own, as `project_review_texts` keeps them, so that ranking ~200
/// candidates reads ~200 short rows instead of ~200 whole records (1.1 MB of JSON read and decoded on
/// every call at 100,000 projects). None for a 涉密 project: its texts stay in its sealed record,
/// which 查重 opens apart (ClassifiedRecords).
///
/// Written in the same transaction as the project row by whoever writes that row (a declaration, an
/// action whose record changes these texts or the 涉密 flag, an annual plan's issue, seed-demo,
/// zhengxin-bench), as the sharing row is; `audit-verify` compares every row with the record it
/// follows (ProjectStateCheck) and counts rows without a project (`orphans`).
package struct ProjectReviewText: Equatable, Sendable {
    var projectId: UUID
    var content: String
    var goals: String
    /// The infrastructure as one text (`infrastructure(_:)`).
    var infrastructure: String

    package static let table = "project_review_texts"
    static let columns = ["project_id", "content", "goals", "infrastructure"]

    /// The row a record makes; nil for a 涉密 record.
    package init?(_ record: ProjectRecord) {
        guard !record.classified else { return nil }
        self.init(
            projectId: record.id, facts: Facts(content: record.content, goals: record.goals, ownInfrastructure: record.ownInfrastructure))
    }

    init(projectId: UUID, content: String, goals: String, infrastructure: String) {
        (self.projectId, self.content, self.goals, self.infrastructure) = (projectId, content, goals, infrastructure)
    }

    init(projectId: UUID, facts: Facts) {
        self.init(
            projectId: projectId, content: facts.content, goals: facts.goals, infrastructure: Self.infrastructure(facts.ownInfrastructure))
    }

    /// The infrastructure a project plans of its own as 查重 compares it (第二十七条): its items, its
    /// justification and its sharing plan, as one text.
    static func infrastructure(_ own: OwnInfrastructure?) -> String {
        own.map { ($0.items + [$0.justification, $0.sharingPlan]).joined(separator: "。") } ?? ""
    }

    /// The row a stored record makes, decoding only these parts (an ordinary record seals no part of
    /// them); nil for a 涉密 one, which is not opened.
    init?(projectId: UUID, classified: Bool, stored record: String) throws {
        guard !classified else { return nil }
        self.init(projectId: projectId, facts: try RecordJSON.decode(Facts.self, from: record))
    }

    /// The parts of a record the row is made of.
    struct Facts: Decodable {
        var content: String
        var goals: String
        var ownInfrastructure: OwnInfrastructure?
    }

    /// The row read with `columns` from `row` at `start`; nil where a LEFT JOIN found none.
    static func stored(_ row: PlainRows.Row, from start: Int) throws -> ProjectReviewText? {
        if case .null = row.cells[start] { return nil }
        return ProjectReviewText(
            projectId: try row.uuid(start), content: try row.text(start + 1), goals: try row.text(start + 2),
            infrastructure: try row.text(start + 3))
    }

    private var values: [any SQLExpression] { [SQLBind(projectId), SQLBind(content), SQLBind(goals), SQLBind(infrastructure)] }

    // MARK: Writing

    /// Makes the project's row what `record` makes, inside the write that stores `record`: stored,
    /// replaced, or (a 涉密 record) removed.
    static func store(_ record: ProjectRecord, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        guard let row = ProjectReviewText(record) else {
            try await sql.raw("DELETE FROM project_review_texts WHERE project_id = \(bind: record.id)").run()
            return
        }
        try await sql.insert(into: table).columns(columns).values(row.values)
            .onConflict(with: ["project_id"]) { update in try columns.dropFirst().reduce(update) { try $0.set(excludedValueOf: $1) } }
            .run()
    }

    /// Whether the write of `after` over `before` moves the row (its texts or its 涉密 flag).
    static func moved(from before: ProjectRecord, to after: ProjectRecord) -> Bool {
        ProjectReviewText(before) != ProjectReviewText(after)
    }

    /// New projects' rows, many per statement (zhengxin-bench, seed-demo, the migration's fill).
    package static func insert(_ rows: [ProjectReviewText], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for part in rows.chunks(of: 1_000) {
            var insert = sql.insert(into: table).columns(columns)
            for row in part { insert = insert.values(row.values) }
            try await insert.run()
        }
    }

    // MARK: Checking

    /// Rows without an ordinary project: a row of a 涉密 project is found by the comparison of every
    /// project's row (ProjectStateCheck); a row whose project is not there, here.
    static func orphans(on db: any Database) async throws -> Int {
        let rows = try await PlainRows.all(
            SQLQueryString(
                "SELECT COUNT(*) FROM project_review_texts t WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id)"),
            on: db)
        return try rows.first?.int(0) ?? 0
    }

    /// Every ordinary project's row as its stored record makes it, a page at a time in id order
    /// (records decoded on every core): the migration's fill.
    static func walk(on db: any Database, _ body: ([ProjectReviewText]) async throws -> Void) async throws {
        var after: UUID?
        while true {
            let select: SQLQueryString = "SELECT id, classified, record FROM projects"
            let query = after.map { select + " WHERE id > \(bind: $0)" } ?? select
            let rows = try await PlainRows.all(query + " ORDER BY id LIMIT 1000", on: db)
            guard let last = rows.last else { return }
            after = try last.uuid(0)
            let made = rows.mapOnEveryCore { row in
                Result { try ProjectReviewText(projectId: try row.uuid(0), classified: try row.bool(1), stored: try row.text(2)) }
            }
            try await body(try made.compactMap { try $0.get() })
        }
    }
}
