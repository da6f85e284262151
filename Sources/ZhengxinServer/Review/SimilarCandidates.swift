import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// 查重 (第七条 项目的集约性, 第二十七条): the few hundred projects worth ranking against one, every
/// unit, every year, any stage, preselected by the databases' own text indexes of AddProjectSearch
/// (the name and code of every project that is not 涉密), then read with their review texts.
///
/// Those indexes hold the name only, not 建设内容, so preselection is by the name's grams: an OR of
/// its distinctive grams (trigrams in SQLite's FTS5 table, bigrams in PostgreSQL's gram rows), best
/// first, `LIMIT candidateLimit`. A gram is distinctive when fewer than `commonGram` projects hold
/// it: each gram is probed with a count stopped at that bound, so 「郑州市」「平台」 (in nearly every
/// name) neither bloat the OR nor make its ordering read the whole table.
///
/// 涉密 rows are in no text index (their name column holds a placeholder), so every 涉密 record is
/// opened (ClassifiedRecords, once per stored version; about 300 at 100,000 projects) and kept when
/// its real name shares one of the same grams.
enum SimilarCandidates {
    static let candidateLimit = 200
    static let commonGram = 1_000
    /// At most this many grams of a name are probed (a name is at most 2,000 characters).
    static let gramLimit = 32

    /// The candidates' records, by id, without `query` itself.
    static func records(for query: SimilarRecord, opened: ClassifiedRecords, on db: Database) async throws -> [SimilarRecord] {
        let postgres = (db as! any SQLDatabase).dialect.name == "postgresql"
        let grams = try await distinctive(grams(of: query.name, length: postgres ? 2 : 3), postgres: postgres, on: db)
        guard !grams.isEmpty else { return [] }
        let ids = try await PlainRows.all(postgres ? postgresCandidates(grams) : sqliteCandidates(grams), on: db)
            .map { try $0.uuid(0) }.filter { $0 != query.id }
        let found = try await open(ids, on: db)
        let keys = try await PlainRows.all(classifiedKeys(), on: db)
            .map { ClassifiedRecords.Key(id: try $0.uuid(0), version: try $0.int(1), updatedAt: try $0.int64(2)) }
        let folded = grams.map { $0.lowercased() }
        let secret = try await opened.records(keys: keys, on: db).values
            .filter { $0.id != query.id && folded.contains(where: $0.name.lowercased().contains) }
            .sorted { $0.code < $1.code }
        // A project made 涉密 between the two reads is taken once, as 涉密.
        let secretIds = Set(secret.map(\.id))
        return found.filter { !secretIds.contains($0.id) } + secret.map(SimilarRecord.init)
    }

    /// The candidates among `ids` that are ordinary projects, with their texts. A row of a project
    /// marked 涉密 is not an ordinary candidate, whatever the texts table says.
    static func open(_ ids: [UUID], on db: Database) async throws -> [SimilarRecord] {
        var found: [SimilarRecord] = []
        for chunk in ids.chunks(of: 500) {
            found += try await PlainRows.all(openTexts(Array(chunk)), on: db).filter { !(try $0.bool(9)) }.map(SimilarRecord.init(openRow:))
        }
        return found
    }

    /// The name's substrings of `length` characters (ASCII lower-cased, as the indexes fold them),
    /// each once, in order; a name shorter than `length` is its own gram.
    static func grams(of name: String, length: Int) -> [String] {
        let scalars = Array(name.lowercased().unicodeScalars).filter { !$0.properties.isWhitespace }
        guard scalars.count > length else { return scalars.isEmpty ? [] : [String(String.UnicodeScalarView(scalars))] }
        var seen = Set<String>(), out: [String] = []
        for i in 0...(scalars.count - length) {
            let gram = String(String.UnicodeScalarView(scalars[i..<(i + length)]))
            if seen.insert(gram).inserted { out.append(gram) }
            if out.count == gramLimit { break }
        }
        return out
    }

    /// The grams fewer than `commonGram` projects hold; when every gram is common, the rarest one,
    /// so a name made only of common words still finds something.
    static func distinctive(_ grams: [String], postgres: Bool, on db: Database) async throws -> [String] {
        guard !grams.isEmpty else { return [] }
        let row = try await PlainRows.all(probes(grams, postgres: postgres), on: db).first
        let counted = try grams.enumerated().map { (gram: $0.element, count: try row?.int($0.offset) ?? 0) }
        let rare = counted.filter { $0.count < commonGram }.map(\.gram)
        if !rare.isEmpty { return rare }
        return counted.min { $0.count < $1.count }.map { [$0.gram] } ?? []
    }

    /// Every gram's probe in one statement, one column each in the grams' order: one round trip to
    /// the database where a statement per gram made up to 32.
    static func probes(_ grams: [String], postgres: Bool) -> SQLQueryString {
        let columns = grams.map { "(" + (postgres ? postgresProbe($0) : sqliteProbe($0)) + ")" as SQLQueryString }
        return "SELECT " + columns.joined(separator: ", ")
    }

    /// The candidates' columns and review texts (ProjectReviewText), by primary key, in code order
    /// (the ranking breaks ties by position), with each project's 涉密 mark for `open` to drop the
    /// marked ones. The mark is read, not filtered on: SQLite, without statistics, took a
    /// `classified = false` condition for the narrower term and walked every open row of
    /// projects_classified_keys to meet the ids (19 ms for 200 candidates, 2 ms by key).
    static func openTexts(_ ids: [UUID]) -> SQLQueryString {
        """
        SELECT p.id, p.code, p.name, p.unit_id, p.stage, p.plan_year, t.content, t.goals, t.infrastructure, p.classified
        FROM project_review_texts t JOIN projects p ON p.id = t.project_id WHERE t.project_id IN (\(binds: ids)) ORDER BY p.code
        """
    }

    /// Every 涉密 row's key (ClassifiedRecords), as an agency's list scope reads them.
    static func classifiedKeys() -> SQLQueryString {
        "SELECT id, version, updated_at FROM projects WHERE classified = \(bind: true)"
    }

    static func phrase(_ gram: String) -> String { ProjectListing.Search.phrase(gram) }

    /// SQLite: how many projects hold the trigram, counted up to `commonGram` in the FTS5 index.
    static func sqliteProbe(_ gram: String) -> SQLQueryString {
        "SELECT COUNT(*) FROM (SELECT rowid FROM project_search WHERE project_search MATCH \(bind: phrase(gram)) LIMIT \(unsafeRaw: String(commonGram)))"
    }

    /// SQLite: the best `candidateLimit` rows holding any of the trigrams, by FTS5's bm25 rank.
    static func sqliteCandidates(_ grams: [String]) -> SQLQueryString {
        let match = grams.map(phrase).joined(separator: " OR ")
        return "SELECT r.project_id FROM (SELECT rowid, rank FROM project_search WHERE project_search MATCH \(bind: match)"
            + " ORDER BY rank LIMIT \(unsafeRaw: String(candidateLimit))) s JOIN project_search_rows r ON r.id = s.rowid ORDER BY s.rank"
    }

    /// PostgreSQL: how many projects hold the bigram, counted up to `commonGram` from the primary key
    /// of the gram rows (AddPostgresSearchGramRows: the GIN index's grams of every open project, as rows).
    static func postgresProbe(_ gram: String) -> SQLQueryString {
        "SELECT COUNT(*) FROM (SELECT 1 FROM project_search_grams WHERE gram = \(bind: gram) LIMIT \(unsafeRaw: String(commonGram))) s"
    }

    /// PostgreSQL: the `candidateLimit` rows sharing the most of the bigrams, counted per project
    /// from the gram rows' primary key alone, ties broken by id. Which of thousands of names sharing
    /// equally few grams become candidates is arbitrary either way (by code they were the oldest);
    /// the ranking itself is by BM25 over their texts. Reading each bigram's rows through the GIN
    /// index fetched every one from the table (126–132 ms a call at 100,000 projects); joining
    /// projects to break ties by code made PostgreSQL hash the whole table when a name's only
    /// distinctive bigram is in thousands of names (城市: 3,991 rows, 30 ms against 1.2 ms warm).
    static func postgresCandidates(_ grams: [String]) -> SQLQueryString {
        "SELECT project_id FROM project_search_grams WHERE gram IN (\(binds: grams))"
            + " GROUP BY project_id ORDER BY COUNT(*) DESC, project_id LIMIT \(unsafeRaw: String(candidateLimit))"
    }
}
