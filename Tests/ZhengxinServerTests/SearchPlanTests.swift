import Testing

@testable import ZhengxinServer

/// Which way a search page reads on SQLite (ProjectListing.SearchPlan), at the boundaries of its
/// choice; the plans themselves are read in QueryPlanTests, the rows each way finds in
/// `indexesFollowWrites`.
@Suite("How a search page reads")
struct SearchPlanTests {
    typealias Plan = ProjectListing.SearchPlan
    static let firstPage = ProjectListing.Window(reversed: false, offset: 0, limit: 50)

    @Test("a code prefix that clusters late in the order takes the text index's matches")
    func clusteredPrefix() {
        // ZZ-2025 at 100,000 projects: 8,008 matches after ~90,000 earlier codes.
        let plan = Plan(matches: 8_008, inScope: 99_722, rowsTestable: true, keyed: true, searchOnly: true)
        #expect(!plan.pageTestsRows(Self.firstPage))
        // Priced by the matches' share alone, the walk looked cheap (624 rows) and was chosen.
        #expect(Plan(matches: 8_008, inScope: 99_722, rowsTestable: true).pageTestsRows(Self.firstPage))
    }

    @Test("a term in most rows walks the order, up to exactly as many rows as it matches")
    func frequentTerm() {
        // The walk may meet every row that does not match: 99,722 − 60,000 + 50 = 39,772.
        #expect(Plan(matches: 60_000, inScope: 99_722, rowsTestable: true, keyed: true, searchOnly: true).pageTestsRows(Self.firstPage))
        #expect(Plan(matches: 49_886, inScope: 99_722, rowsTestable: true, keyed: true, searchOnly: true).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 49_885, inScope: 99_722, rowsTestable: true, keyed: true, searchOnly: true).pageTestsRows(Self.firstPage))
        // A deeper page walks further before it.
        let deep = ProjectListing.Window(reversed: false, offset: 30_000, limit: 50)
        #expect(!Plan(matches: 60_000, inScope: 99_722, rowsTestable: true, keyed: true, searchOnly: true).pageTestsRows(deep))
    }

    @Test("with other filters every row in scope may fail the search, so the walk is priced at all of them")
    func filtered() {
        // A unit's 300 rows against 8,008 matches in the city: testing them is cheaper whatever they hold.
        #expect(Plan(matches: 8_008, inScope: 300, rowsTestable: true, keyed: true).pageTestsRows(Self.firstPage))
        #expect(Plan(matches: 8_008, inScope: 8_008, rowsTestable: true, keyed: true).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 8_008, inScope: 8_009, rowsTestable: true, keyed: true).pageTestsRows(Self.firstPage))
    }

    @Test("1 or 2 characters keep the share's price (their grams name rows by id), and untestable text never walks")
    func gramsAndUntestable() {
        // 平台 in 42%: 50 × 99,722 ≤ 42,000², a walk of ~119 rows.
        #expect(Plan(matches: 42_000, inScope: 99_722, rowsTestable: true, searchOnly: true).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 70, inScope: 99_722, rowsTestable: true, searchOnly: true).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 99_722, inScope: 99_722, rowsTestable: false, keyed: true, searchOnly: true).pageTestsRows(Self.firstPage))
        #expect(!Plan(matches: 0, inScope: 99_722, rowsTestable: true, keyed: true, searchOnly: true).pageTestsRows(Self.firstPage))
    }
}
