import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The inbox and overdue counts come from reminder_tallies (AddReminderTallies): kept by triggers
/// as marks are raised, resolved, moved and deleted, equal to counting the marks, and checked by
/// audit-verify. On both databases.
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
}
