import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 查重 reads an ordinary project's 建设内容, 绩效目标 and infrastructure from `project_review_texts`
/// (ProjectReviewText), written with the project row by the declaration and by every action that
/// changes them or the 涉密 flag, and checked by audit-verify against the records.
@Suite("查重's texts of each project")
struct ProjectReviewTextTests {
    @Test("the row follows the declaration, an edit of the draft and its 涉密 flag; audit-verify finds a row edited", arguments: Backend.all)
    func follows(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(name: "市场监管智慧监测平台", yuan: 2_000_000, extra: ["content": "建设监测预警系统"]))
            let id = try #require(UUID(uuidString: w.projectId))
            let sql = world.app.db as! any SQLDatabase
            func stored() async throws -> ProjectReviewText? {
                let rows = try await PlainRows.all(
                    SQLQueryString(
                        "SELECT project_id, content, goals, infrastructure FROM project_review_texts WHERE project_id = \(bind: id)"),
                    on: world.app.db)
                return try rows.first.flatMap { try ProjectReviewText.stored($0, from: 0) }
            }
            func record() async throws -> ProjectRecord { try #require(try await ProjectRow.find(id, on: world.app.db)).decoded() }
            #expect(try await stored() == ProjectReviewText(projectId: id, content: "建设监测预警系统", goals: "建设目标", infrastructure: ""))

            // The unit edits its draft: new 建设内容 and infrastructure of its own.
            var edited = Walk.draft(name: "市场监管智慧监测平台", yuan: 2_000_000, extra: ["content": "建设监测预警和执法系统"])
            edited["ownInfrastructure"] = ["items": ["机房", "存储"], "justification": "数据不出局域网", "sharingPlan": "向市大数据局开放接口"]
            try await world.must(w.projectId, "update", as: "unitA", edited)
            #expect(
                try await stored()
                    == ProjectReviewText(
                        projectId: id, content: "建设监测预警和执法系统", goals: "建设目标", infrastructure: "机房。存储。数据不出局域网。向市大数据局开放接口"))
            #expect(try await stored() == ProjectReviewText(try await record()))

            // audit-verify compares the rows with the records: a row edited, removed or standing for no project is found.
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            try await sql.raw("UPDATE project_review_texts SET content = '别的内容' WHERE project_id = \(bind: id)").run()
            let changed = try await AuditRecorder.verify(on: world.app.db)
            #expect(
                changed.problem == .reviewTextsDiffer(rows: 1) && changed.message.contains("project_review_texts"), "\(changed.message)")
            try await sql.raw("DELETE FROM project_review_texts WHERE project_id = \(bind: id)").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .reviewTextsDiffer(rows: 1), "the row removed")
            try await sql.raw(
                "INSERT INTO project_review_texts (project_id, content, goals, infrastructure) VALUES (\(bind: UUID()), 'x', 'y', '')"
            ).run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .reviewTextsDiffer(rows: 2), "and a row of no project")
            // The migration's fill makes the rows the records make.
            try await sql.raw("DELETE FROM project_review_texts").run()
            try await ProjectReviewText.walk(on: world.app.db) { try await ProjectReviewText.insert($0, on: world.app.db) }
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            #expect(try await stored() == ProjectReviewText(try await record()))

            // Made 涉密 by an edit of the draft: its texts leave the table (they stay in the sealed record).
            edited["classified"] = true
            try await world.must(w.projectId, "update", as: "unitA", edited)
            #expect(try await record().classified)
            #expect(try await stored() == nil)
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            // A row left behind for it (written behind the server's back) does not make it an ordinary candidate.
            #expect(try await SimilarCandidates.open([id], on: world.app.db).isEmpty)
            try await sql.raw(
                "INSERT INTO project_review_texts (project_id, content, goals, infrastructure) VALUES (\(bind: id), '旧的内容', '旧的目标', '')"
            ).run()
            #expect(try await SimilarCandidates.open([id], on: world.app.db).isEmpty)
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .reviewTextsDiffer(rows: 1))
        }
    }
}
