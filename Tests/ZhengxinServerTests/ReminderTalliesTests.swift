import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The inbox and overdue counts come from reminder_tallies (AddReminderTallies), and the project
/// list's overdue filter from projects.overdue_marks and overdue_tallies (AddOverdueMarks): kept by
/// triggers as marks are raised, resolved, moved and deleted, equal to counting the marks, and
/// checked by audit-verify. On both databases.
@Suite("Reminder tallies")
struct ReminderTalliesTests {
    @Test("counts follow every mark raised, resolved and deleted; audit-verify sees a changed tally", arguments: Backend.all)
    func followMarks(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let k = try await ReportPagesTests.known(world)
            let sql = world.app.db as! any SQLDatabase
            func total(_ path: String, _ user: String) async throws -> Int? { try await PagingTests.get(world, path, as: user).total }
            // known(): open overdue marks on the 涉密 draft (unitA) and unitB's draft, an upcoming one,
            // a resolved one. DRC (not named on the 涉密 draft) counts one overdue mark, as it lists one.
            #expect(try await total("/api/v1/overdue", "drc") == 1)
            #expect(try await total("/api/v1/overdue", "unitA") == 1)
            #expect(try await total("/api/v1/overdue", "unitA2") == 0)
            #expect(try await total("/api/v1/inbox", "drc") == 2)
            #expect(try await total("/api/v1/inbox", "unitB") == 1)
            // No mark is addressed to vendors: the tallies answer a vendor's inbox, empty, before any mark is read.
            #expect(try await total("/api/v1/inbox", "vendor") == 0)
            #expect(try await PagingTests.get(world, "/api/v1/inbox", as: "vendor").items.isEmpty)
            #expect(try await ReminderTallies.drift(on: world.app.db) == 0)

            // Resolving, re-opening as another status and deleting marks move the counts at once.
            try await sql.raw("UPDATE reminders SET resolved_at = 5 WHERE project_id = \(bind: UUID(uuidString: k.other)!)").run()
            #expect(try await total("/api/v1/overdue", "drc") == 0)
            #expect(try await total("/api/v1/inbox", "drc") == 1)
            try await sql.raw(
                "UPDATE reminders SET resolved_at = NULL, status = 'upcoming' WHERE project_id = \(bind: UUID(uuidString: k.other)!)"
            ).run()
            #expect(try await total("/api/v1/overdue", "drc") == 0)
            #expect(try await total("/api/v1/inbox", "drc") == 2)
            try await sql.raw("DELETE FROM reminders WHERE project_id = \(bind: UUID(uuidString: k.constructing)!)").run()
            #expect(try await total("/api/v1/inbox", "drc") == 1)
            #expect(try await ReminderTallies.drift(on: world.app.db) == 0)

            // A tally changed by hand is found.
            try await sql.raw("UPDATE reminder_tallies SET open_marks = open_marks + 3 WHERE status = 'upcoming'").run()
            #expect(try await ReminderTallies.drift(on: world.app.db) > 0)
            let report = try await AuditRecorder.verify(on: world.app.db)
            guard case .reminderTalliesDiffer = report.problem else {
                Issue.record("audit-verify should name the reminder tallies: \(report.message)")
                return
            }
            #expect(report.message.contains("reminder_tallies"))
        }
    }

    @Test("the list's overdue filter and count follow the marks; audit-verify sees a changed count", arguments: Backend.all)
    func overdueProjects(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let k = try await ReportPagesTests.known(world)
            let sql = world.app.db as! any SQLDatabase
            let other = UUID(uuidString: k.other)!
            /// The overdue list of projects as `user` gets it: the count and the ids listed, which must agree.
            /// Each read follows an audit entry, as the deadline scan appends one when it moves a mark.
            func overdue(_ user: String, _ filter: String = "") async throws -> Set<String> {
                let event = AuditEvent(
                    actor: nil, action: "deadline-scan", projectId: nil, result: .accepted, summary: "期限扫描", clientAddress: "scan")
                try await AuditRecorder.append(event, at: world.clock.now, on: world.app.db)
                let reply = try await PagingTests.get(world, "/api/v1/projects?overdue=true&perPage=200" + filter, as: user)
                #expect(reply.status == .ok)
                #expect(reply.total == reply.items.count, "\(user)\(filter): counted \(reply.total ?? -1), listed \(reply.items.count)")
                return Set(reply.items.compactMap { $0["id"] as? String })
            }
            // known(): open overdue marks on the 涉密 draft (unitA, named only to its author) and on
            // unitB's draft; a resolved mark and an upcoming one on the project under construction.
            #expect(try await overdue("drc") == [k.other])
            #expect(try await overdue("unitA") == [k.secret])
            #expect(try await overdue("unitA2") == [])
            #expect(try await overdue("unitB") == [k.other])
            #expect(try await overdue("drc", "&planYear=2028") == [k.other])
            #expect(try await overdue("drc", "&stage=constructing") == [])
            #expect(try await OverdueMarks.drift(on: world.app.db) == 0)

            // A second mark on the same project counts it once; resolving one keeps it overdue, both not.
            try await ReportPagesTests.remind(world, k.other, unit: "unitB", status: "overdue", due: "2026-03-01")
            #expect(try await overdue("drc") == [k.other])
            try await sql.raw("UPDATE reminders SET resolved_at = 5 WHERE project_id = \(bind: other) AND due_on = '2026-03-01'").run()
            #expect(try await overdue("drc") == [k.other])
            try await sql.raw("UPDATE reminders SET resolved_at = 5 WHERE project_id = \(bind: other)").run()
            #expect(try await overdue("drc") == [])
            // Re-opened as overdue, then deleted; the project under construction's upcoming mark turned overdue.
            try await sql.raw("UPDATE reminders SET resolved_at = NULL WHERE project_id = \(bind: other) AND due_on = '2026-02-01'").run()
            #expect(try await overdue("unitB") == [k.other])
            try await sql.raw("DELETE FROM reminders WHERE project_id = \(bind: other)").run()
            #expect(try await overdue("unitB") == [])
            try await sql.raw(
                "UPDATE reminders SET status = 'overdue' WHERE project_id = \(bind: UUID(uuidString: k.constructing)!) AND resolved_at IS NULL"
            ).run()
            #expect(try await overdue("drc", "&stage=constructing") == [k.constructing])
            #expect(try await OverdueMarks.drift(on: world.app.db) == 0)

            // A count changed by hand is found.
            try await sql.raw("UPDATE projects SET overdue_marks = 3 WHERE id = \(bind: other)").run()
            #expect(try await OverdueMarks.drift(on: world.app.db) > 0)
            let report = try await AuditRecorder.verify(on: world.app.db)
            guard case .overdueMarksDiffer = report.problem else {
                Issue.record("audit-verify should name the overdue counts: \(report.message)")
                return
            }
            #expect(report.message.contains("overdue_marks"))
        }
    }
}
