import Fluent
import Foundation
import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// Which way a search page reads on SQLite (ProjectListing.SearchPlan) and how far a walk goes; the
/// plans themselves are read in QueryPlanTests, the rows each way finds in `indexesFollowWrites`.
@Suite("How a search page reads")
struct SearchPlanTests {
    typealias Plan = ProjectListing.SearchPlan
    static let firstPage = ProjectListing.Window(reversed: false, offset: 0, limit: 50)

    @Test("a frequent term walks the order, priced by its share; a rare one, or untestable text, is taken from the text index")
    func choice() {
        // 平台 in 42% of 99,722 open rows: ~119 rows walked for a first page.
        #expect(Plan(matches: 42_000, inScope: 99_722, rowsTestable: true).pageTestsRows(Self.firstPage))
        // Exactly at the price: 50 × 99,722 = 4,986,100 ≤ 2,233² = 4,986,289; 2,232² = 4,981,824 is below it.
        #expect(Plan(matches: 2_233, inScope: 99_722, rowsTestable: true).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 2_232, inScope: 99_722, rowsTestable: true).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 99_722, inScope: 99_722, rowsTestable: false).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 0, inScope: 99_722, rowsTestable: true).pageTestsRows(Self.firstPage))
    }

    @Test("PostgreSQL tests rows by ILIKE only for text it folds as the grams do")
    func postgresTestable() {
        for text in ["平台", "平", "ZZ-2025", "zz-", "信息系统", "A1"] { #expect(Plan.postgresRowsTestable(text), "\(text)") }
        // i and k: a UTF-8 locale's ILIKE folds İ (U+0130) and the Kelvin sign into them; Ä and σ: cased beyond ASCII.
        for text in ["it平台", "I", "kit", "K", "Ä", "系统σ"] { #expect(!Plan.postgresRowsTestable(text), "\(text)") }
    }

    @Test("a walk reads four times what spread matches need, and never fewer than its floor")
    func budget() {
        // ZZ-2025: 8,008 matches; spread, a first page needs ~623 rows.
        #expect(Plan(matches: 8_008, inScope: 99_722, rowsTestable: true).walkBudget(Self.firstPage) == 2_490)
        #expect(Plan(matches: 42_000, inScope: 99_722, rowsTestable: true).walkBudget(Self.firstPage) == 2_000)
        let deep = ProjectListing.Window(reversed: false, offset: 10_000, limit: 50)
        #expect(Plan(matches: 42_000, inScope: 99_722, rowsTestable: true).walkBudget(deep) == 95_448)
        #expect(Plan(matches: 0, inScope: 10, rowsTestable: true, smallestWalk: 5).walkBudget(Self.firstPage) == 2_000)
    }

    @Test("a walk is given an end only where it could read more than twice its budget")
    func end() {
        #expect(Plan(matches: 8_008, inScope: 99_722, rowsTestable: true).walkHasEnd(Self.firstPage))
        // A unit's 2,500 rows: walked whole at worst, no end sought (its budget is 2,000).
        #expect(!Plan(matches: 8_008, inScope: 2_500, rowsTestable: true).walkHasEnd(Self.firstPage))
        #expect(!Plan(matches: 8_008, inScope: 4_000, rowsTestable: true).walkHasEnd(Self.firstPage))
        #expect(Plan(matches: 8_008, inScope: 4_001, rowsTestable: true).walkHasEnd(Self.firstPage))
        // No walk, no end.
        #expect(!Plan(matches: 100, inScope: 99_722, rowsTestable: true).walkHasEnd(Self.firstPage))
    }

    @Test("a walk that does not fill its page gives way to the text index's matches", arguments: [Backend.sqlite])
    func fallBack(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await QueryPlanTests.seed(app.db)
                let scope = ProjectListing.Scope.rows(classifiedVisible: [])
                let window = ProjectListing.Window(reversed: false, offset: 0, limit: 20)
                // Priced as if spread (15 rows), walked 30 at most: the first ~95 codes of the order are 2024's.
                let short = Plan(matches: 2_000, inScope: 380, rowsTestable: true, smallestWalk: 30)
                #expect(short.pageTestsRows(window) && short.walkBudget(window) == 30 && short.walkHasEnd(window))
                for (text, walkFills) in [("zz-2027", false), ("zz-2024", true)] {
                    var q = ProjectListQuery()
                    (q.search, q.perPage) = (text, 20)
                    let total = try await ProjectListing.count(q, scope: scope, actor: seeded.drc, on: app.db)
                    func read(_ plan: Plan?) async throws -> [UUID] {
                        try await ProjectListing.rows(
                            q, scope: scope, actor: seeded.drc, classifiedMatches: [], records: false, total: total, plan: plan,
                            on: app.db
                        ).map(\.id)
                    }
                    let end = try await PlainRows.all(
                        ProjectListing.walkEndQuery(q, scope: scope, actor: seeded.drc, window: window, budget: 30), on: app.db
                    ).first.map { try ListCursor(walkEnd: $0, sort: .code) }
                    // The 31st code of the order: 2024's (one in 4 codes of the first 100 is, ~5% of them 涉密).
                    #expect(end?.code.hasPrefix("ZZ-2024-") == true && end?.key == nil, "\(String(describing: end))")
                    let walked = try await PlainRows.all(
                        ProjectListing.pageQuery(q, scope: scope, actor: seeded.drc, total: total, plan: short, walkEnd: end), on: app.db)
                    #expect((walked.count == 20) == walkFills, "\(text): \(walked.count) rows walked")
                    let fetched = try await read(nil)
                    #expect(fetched.count == 20, "\(text)")
                    #expect(try await read(short) == fetched, "\(text)")
                }
            }
        }
    }

    @Test("PostgreSQL counts a term whose every bigram is frequent by testing rows, and finds the same count", arguments: Backend.all)
    func postgresCount(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await QueryPlanTests.seed(app.db)
                let postgres = backend == .postgres
                // zz and z- are in every code (PostgreSQL's statistics of the grams index, read after the seed's ANALYZE);
                // 城市大脑's bigrams in an eighth to a quarter of the names each.
                for (text, frequent) in [("ZZ-", true), ("城市大脑", false), ("平台", false), ("kit", false)] {
                    var q = ProjectListQuery()
                    q.search = text
                    let tests = try await Plan.postgresCountTestsRows(q, on: app.db)
                    #expect(tests == (postgres && frequent), "\(text)")
                    for actor in [seeded.drc, seeded.unit] {
                        let counts = try await QueryPlanTests.counted(q, actor: actor, on: app.db)
                        #expect(counts.indexed == counts.tested, "\(text), \(actor.organisationType): \(counts)")
                    }
                }
                // Text holding i is left to the grams however frequent its bigrams (İ folds to i under a UTF-8 locale).
                for (text, tested) in [("ZZ-", postgres), ("ZZi", false), ("Iz-", false)] {
                    var q = ProjectListQuery()
                    q.search = text
                    #expect(try await Plan.postgresCountTestsRows(q, threshold: 0, on: app.db) == tested, "\(text)")
                }
            }
        }
    }
}
