import Fluent
import Foundation
import SQLKit
import ZhengxinCore
import ZhengxinCrypto

/// Review days at a fixed width (DeadlineReview.text): "" (written) and NULL (never) become ten
/// characters like every date.
struct FixedWidthReviewDays: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let rewritten = try await MigrationLog.count(
            "projects", where: "deadlines_review_on = '' OR deadlines_review_on IS NULL", on: database)
        try await sql.raw("UPDATE projects SET deadlines_review_on = \(bind: DeadlineReview.written) WHERE deadlines_review_on = ''").run()
        try await sql.raw("UPDATE projects SET deadlines_review_on = \(bind: DeadlineReview.never) WHERE deadlines_review_on IS NULL").run()
        MigrationLog.moved(self, "projects.deadlines_review_on(定长)", rewritten, on: database)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("UPDATE projects SET deadlines_review_on = '' WHERE deadlines_review_on = \(bind: DeadlineReview.written)").run()
        try await sql.raw("UPDATE projects SET deadlines_review_on = NULL WHERE deadlines_review_on = \(bind: DeadlineReview.never)").run()
    }
}
