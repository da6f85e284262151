import Fluent
import Foundation
import SQLKit
import ZhengxinCore

extension ProjectListing {
    /// Name or code contains `text` (case-folded), among the rows that are not 涉密, through the
    /// text indexes AddProjectSearch keeps. SQLite: 3 characters or more by FTS5 trigrams, 1 or 2 by
    /// the table of grams (a trigram cannot hold them). PostgreSQL: by the GIN index of grams, then
    /// `ILIKE` on the rows it finds. Written per database when the statement is serialised.
    struct Search: SQLExpression {
        var text: String
        /// Each row read from another index tests its own name and code instead of the rows being
        /// found through the text index: SQLite's SearchPlan; PostgreSQL's count of a frequent term of
        /// 3 characters or more (postgresCountTestsRows).
        var testsRows = false
        /// The rows are one unit's (a unit's own list, or an agency's unit filter): on PostgreSQL each
        /// of the unit's rows tests its own name and code (`ILIKE`) when that says what the grams say
        /// (postgresRowsTestable), rather than being found through the grams. Where PostgreSQL tests
        /// a row against the grams it recomputes them (`project_search_grams(name, code)`, the
        /// expression of the GIN index): a unit's 平台, whose 涉密 matches beside it by id
        /// made every match a rechecked row, took 33 ms of 848 matches; `ILIKE` over the unit's ~2,000
        /// rows costs a few. SQLite's SearchPlan already tests a unit's rows.
        var withinUnit = false

        /// The text as one FTS5 phrase (its trigrams in a row, i.e. the text as a substring), quotes
        /// doubled by scalar: a quote joined by a combining mark is one Character that equals no quote,
        /// and left single it ended the phrase (a 500 on an unterminated string, or FTS5's OR after it).
        static func phrase(_ text: String) -> String {
            var quoted = "\""
            for scalar in text.unicodeScalars {
                if scalar == "\"" { quoted.unicodeScalars.append(scalar) }
                quoted.unicodeScalars.append(scalar)
            }
            return quoted + "\""
        }

        /// ASCII case only, as the grams are folded (SQLite's lower(), translate() on PostgreSQL).
        static func folded(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
        }

        /// The 2-character substrings of a folded text of 2 characters or more, each once, sorted.
        static func bigrams(_ folded: String) -> [String] {
            let scalars = Array(folded.unicodeScalars)
            guard scalars.count >= 2 else { return [] }
            return Set((0..<(scalars.count - 1)).map { String(String.UnicodeScalarView(scalars[$0...($0 + 1)])) }).sorted()
        }

        func serialize(to serializer: inout SQLSerializer) {
            let length = text.unicodeScalars.count
            let folded = Self.folded(text)
            if serializer.dialect.name == "postgresql" {
                // The expression of the GIN index projects_search_grams (every 1- and 2-character gram).
                let grams = length < 3 ? [folded] : Self.bigrams(folded)
                let unitTests = withinUnit && SearchPlan.postgresRowsTestable(text)
                serializer.write("(classified = false")
                if !(unitTests || (testsRows && length >= 3)) {
                    serializer.write(" AND project_search_grams(name, code) @> ARRAY[")
                    for (i, gram) in grams.enumerated() {
                        if i > 0 { serializer.write(", ") }
                        serializer.write(bind: gram)
                    }
                    serializer.write("]::text[]")
                }
                if length >= 3 || unitTests {
                    // The text itself in the name or code: after the grams (all its bigrams somewhere in
                    // them), or alone on a unit's rows.
                    var pattern = ""
                    // By scalar, not by Character: "%" followed by a combining mark is one Character that
                    // equals no "%", and went through unescaped, a wildcard.
                    for c in text.unicodeScalars {
                        if c == "\\" || c == "%" || c == "_" { pattern += "\\" }
                        pattern.unicodeScalars.append(c)
                    }
                    pattern = "%" + pattern + "%"
                    serializer.write(" AND (name ILIKE ")
                    serializer.write(bind: pattern)
                    serializer.write(" OR code ILIKE ")
                    serializer.write(bind: pattern)
                    serializer.write(")")
                }
                serializer.write(")")
                return
            }
            if testsRows {
                // What the indexes say of this row, folded as they fold (SearchPlan.rowsTestable); a 涉密
                // row's columns hold a placeholder, and the indexes none of it.
                serializer.write("(NOT classified AND (instr(lower(name), ")
                serializer.write(bind: folded)
                serializer.write(") > 0 OR instr(lower(code), ")
                serializer.write(bind: folded)
                serializer.write(") > 0))")
                return
            }
            if length >= 3 {
                // One FTS5 phrase: its trigrams in a row, i.e. the text as a substring. The matches are
                // named by code, which every list index holds beside its sort key: SQLite may walk the
                // order and test each entry against them without reading the table, or look each match
                // up by code and sort them (`id` would cost a table lookup for every row walked).
                serializer.write("code IN (SELECT code FROM project_search WHERE project_search MATCH ")
                serializer.write(bind: Self.phrase(text))
                serializer.write(")")
            } else if length == 2 {
                serializer.write("id IN (SELECT project_id FROM project_search_grams WHERE gram = ")
                serializer.write(bind: folded)
                serializer.write(")")
            } else {
                // One character: the grams that start with it (a name's last character is kept alone).
                serializer.write("id IN (SELECT project_id FROM project_search_grams WHERE gram >= ")
                serializer.write(bind: folded)
                serializer.write(" AND gram < ")
                serializer.write(bind: folded + "\u{10FFFF}")
                serializer.write(")")
            }
        }
    }

    /// Where a search's walk stops (SearchPlan.walkBudget): the sort key and code of the row `budget`
    /// rows into the order, in the direction the page is read, among the rows that pass everything
    /// but the search, read from the sort's index (which holds the reach beside the sort key; a unit's
    /// index leaves `classified` to its few rows). No row: the walk may read to the end.
    static func walkEndQuery(_ query: ProjectListQuery, scope: Scope, actor: Actor, window: Window, budget: Int) -> SQLQueryString {
        var unsearched = query
        unsearched.search = nil
        let hint = CodeOrderHint(applies: query.sort == .code && reachOnly(unsearched, scope: scope, actor: actor))
        return "SELECT code, \(unsafeRaw: column(query.sort)) FROM projects\(hint) WHERE "
            + seeking(query, condition(unsearched, scope: scope, actor: actor, ordered: true)) + " ORDER BY "
            + order(query, reversed: window.reversed) + " LIMIT 1 OFFSET \(unsafeRaw: String(budget))"
    }

    /// How a search reads on SQLite, chosen from two counts of a few milliseconds each: how many
    /// open rows the text index matches (any unit, `matchesQuery`) and how many pass the other
    /// filters and the caller's reach (the tallies). Taking the matches from the text index costs
    /// about `matches` rows, whatever page is asked; reading the sort's index in order and testing
    /// each row (a table lookup each) costs about (offset + limit) × inScope / matches rows for a
    /// page if the matches are spread through the order, and `inScope` for a count. A frequent term
    /// (平台 in 42% of 100,000 projects) is then read in order and stopped at the page; a rare one is
    /// fetched; a unit's search tests the unit's rows. PostgreSQL weighs the same with its own
    /// statistics of the grams index.
    ///
    /// Matches are not always spread: a code prefix (ZZ-2025, 8% of the city) is one run in code
    /// order, after ~90,000 earlier codes. So the walk stops `walkBudget` rows into the order
    /// (walkEndQuery), and a page it does not fill is taken from the text index's matches instead.
    struct SearchPlan: Sendable, Equatable {
        var matches: Int
        var inScope: Int
        var rowsTestable: Bool
        /// The fewest rows a walk reads before it gives up (`walkBudget`).
        var smallestWalk = 2_000

        /// The count reads the other filters' index and tests each row.
        var countTestsRows: Bool { rowsTestable && inScope < matches }

        /// The page reads the sort's index in order and tests each row, up to `walkBudget` rows.
        func pageTestsRows(_ window: Window) -> Bool {
            rowsTestable && (window.offset + window.limit) * inScope <= matches * matches
        }

        /// Whether the walk is given an end: only where it could read more than twice its budget.
        /// Finding the end reads `walkBudget` rows of an index; a unit's few thousand rows cost
        /// about as much to walk whole (its index leaves `classified` to the rows).
        func walkHasEnd(_ window: Window) -> Bool {
            pageTestsRows(window) && inScope > 2 * walkBudget(window)
        }

        /// How many rows of the order a walk reads before it gives up: four times what spread matches
        /// would need, and at least 2,000 (~3 ms of table lookups at 100,000 projects), so a walk that
        /// meets a run of non-matching rows costs a few milliseconds more than taking the matches.
        func walkBudget(_ window: Window) -> Int {
            max(smallestWalk, 4 * (window.offset + window.limit) * inScope / max(matches, 1))
        }

        /// Whether testing a row's own name and code (`instr` on `lower()`, ASCII folding) says what
        /// the text indexes say of it: always for 1 and 2 characters (the grams are folded by the same
        /// `lower()`); for 3 or more (FTS5 trigrams fold Unicode case), when the text has no cased
        /// character beyond ASCII and no k: the one character FTS5 folds into ASCII from beyond it is
        /// the Kelvin sign K (to k), so a name holding it matches "kit" by the index and not by
        /// `lower()`. Otherwise the matches are fetched from the index.
        static func rowsTestable(_ text: String) -> Bool {
            let scalars = text.unicodeScalars
            return scalars.count < 3 || !scalars.contains { ($0 == "k" || $0 == "K") || (!$0.isASCII && $0.properties.isCased) }
        }

        /// PostgreSQL: the share of rows, as its statistics estimate it, from which a search is
        /// counted by testing rows (postgresCountTestsRows).
        static let frequentShare = 0.3

        /// PostgreSQL: whether a search of 3 characters or more is counted by testing each row's name
        /// and code (`ILIKE`, read from the (name, code, classified) index, ~40 ms at 100,000 projects
        /// whatever the term) rather than through the GIN index of grams. Where PostgreSQL expects
        /// most rows to hold every bigram it reads another index and tests each row by recomputing
        /// its grams (~13 µs a row): ZZ- (every code) took 1.4 s. The estimate is PostgreSQL's own,
        /// as it plans: the product of the bigrams' frequencies among the most common elements of
        /// the index's statistics (a bigram not among them is rare; no statistics yet, none is
        /// frequent). Only text whose rows `ILIKE` finds as the grams do (postgresRowsTestable).
        static func postgresCountTestsRows(_ query: ProjectListQuery, threshold: Double = frequentShare, on db: Database) async throws
            -> Bool
        {
            guard let search = query.search, search.unicodeScalars.count >= 3, postgresRowsTestable(search),
                (db as? any SQLDatabase)?.dialect.name == "postgresql"
            else { return false }
            let grams = Search.bigrams(Search.folded(search))
            let statistics: SQLQueryString = """
                SELECT x.e, round(x.f * 1000000)::bigint FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS x(e, f)
                WHERE s.schemaname = current_schema() AND s.tablename = 'projects_search_grams' AND x.e IN (\(binds: grams))
                """
            var frequency: [String: Double] = [:]
            for row in try await PlainRows.all(statistics, on: db) { frequency[try row.text(0)] = Double(try row.int64(1)) / 1_000_000 }
            return grams.reduce(1.0) { $0 * (frequency[$1] ?? 0) } >= threshold
        }

        /// PostgreSQL: whether `ILIKE` on a row's name and code finds exactly the rows the grams find
        /// for `text` (the grams fold ASCII case only): not for a cased character beyond ASCII, which
        /// `ILIKE` folds, nor for i or k: under a UTF-8 locale `ILIKE` folds İ (U+0130) in a name to i
        /// and the Kelvin sign to k, and a count would hold a row the page cannot.
        static func postgresRowsTestable(_ text: String) -> Bool {
            !text.unicodeScalars.contains { "iIkK".unicodeScalars.contains($0) || (!$0.isASCII && $0.properties.isCased) }
        }

        /// PostgreSQL, a search of 1 or 2 characters and no other filter, for a caller whose reach is
        /// rows (as `searchPlan` on SQLite): the open rows holding it, counted from the primary key of
        /// the gram rows (AddPostgresSearchGramRows), the same set the GIN index finds for the page;
        /// nil for any other query, which counts its rows as before.
        static func postgresGramCount(_ query: ProjectListQuery, scope: Scope, actor: Actor, on db: Database) -> SQLQueryString? {
            guard let search = query.search, search.unicodeScalars.count <= 2, (db as? any SQLDatabase)?.dialect.name == "postgresql",
                case .rows = scope, ProjectListing.searchIsTheOnlyFilter(query, actor: actor)
            else { return nil }
            return "SELECT COUNT(*) FROM project_search_grams WHERE gram = \(bind: Search.folded(search))"
        }

        /// The open rows the text index alone matches (the index holds no 涉密 row).
        static func matchesQuery(_ text: String) -> SQLQueryString {
            let length = text.unicodeScalars.count
            let folded = Search.folded(text)
            if length >= 3 {
                return "SELECT COUNT(*) FROM project_search WHERE project_search MATCH \(bind: Search.phrase(text))"
            }
            if length == 2 { return "SELECT COUNT(*) FROM project_search_grams WHERE gram = \(bind: folded)" }
            return
                "SELECT COUNT(DISTINCT project_id) FROM project_search_grams WHERE gram >= \(bind: folded) AND gram < \(bind: folded + "\u{10FFFF}")"
        }
    }
}
