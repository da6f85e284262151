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
        try await sql.raw("UPDATE projects SET deadlines_review_on = \(bind: DeadlineReview.written) WHERE deadlines_review_on = ''").run()
        try await sql.raw("UPDATE projects SET deadlines_review_on = \(bind: DeadlineReview.never) WHERE deadlines_review_on IS NULL").run()
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("UPDATE projects SET deadlines_review_on = '' WHERE deadlines_review_on = \(bind: DeadlineReview.written)").run()
        try await sql.raw("UPDATE projects SET deadlines_review_on = NULL WHERE deadlines_review_on = \(bind: DeadlineReview.never)").run()
    }
}
