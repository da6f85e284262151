import Fluent
import Foundation
import SQLKit
import Vapor
import ZhengxinCore

/// One page of the ranked 风险评级 list for a caller, over `project_risks` alone (ProjectRiskRow):
/// scoped exactly as the project list (ProjectListing.scope: a unit its own projects, a 涉密 one
/// only to those named on it), filtered, counted from the tallies (RiskTallies), and read in rank
/// order from the rank indexes of CreateProjectRisks and AddRiskTallies. Only the page's projects
/// are then looked up for their code and name. The SQL is built without a Request (`pageQuery`)
/// so QueryPlanTests read the plans the server runs.
enum RiskListing {
    struct Row: Sendable {
        var projectId: UUID
        var code: String
        var name: String
        var unitId: UUID
        var stage: String
        var rating: RiskRating
        var ratedOn: String
    }

    struct Page: Sendable {
        var rows: [Row]
        var total: Int
        var query: RiskListQuery
        /// Projects at each level 1…5 under the same scope and unit filter, whatever the level filter.
        var byLevel: [Int] = Array(repeating: 0, count: 5)
        var pageCount: Int { max(1, (total + query.paging.per - 1) / query.paging.per) }
    }

    /// Vendors see no portfolio-wide list, as they see no reports.
    static func requireReader(_ actor: Actor) throws {
        guard actor.organisationType != .vendor else {
            throw APIError.forbidden("风险评级仅向项目单位和市发展改革委、市财政局、市大数据局、市审计局提供")
        }
    }

    static func page(_ query: RiskListQuery, for actor: Actor, on req: Request) async throws -> Page {
        try requireReader(actor)
        guard case .rows(let visible) = try await ProjectListing.scope(for: actor, on: req) else {
            throw APIError.forbidden("风险评级仅向项目单位和市发展改革委、市财政局、市大数据局、市审计局提供")
        }
        let counts = try await RiskTallies.counts(
            unitId: query.unitId, planYear: query.planYear, actor: actor, visible: visible, on: req.db)
        let byLevel = RiskTallies.byLevel(counts)
        let total = query.level.map { (1...5).contains($0) ? byLevel[$0 - 1] : 0 } ?? byLevel.reduce(0, +)
        let risks = try await PlainRows.all(pageQuery(query, actor: actor, visible: visible), on: req.db)
        guard !risks.isEmpty else { return Page(rows: [], total: total, query: query, byLevel: byLevel) }
        let ids = try risks.map { try $0.uuid(0) }
        let projects = try await PlainRows.all(
            SQLQueryString("SELECT id, code, name, version, updated_at, classified FROM projects WHERE id IN (\(binds: ids))"), on: req.db)
        var listed: [UUID: (code: String, name: String)] = [:]
        var secret: [ClassifiedRecords.Key] = []
        for p in projects {
            let id = try p.uuid(0)
            listed[id] = (try p.text(1), try p.text(2))
            if try p.bool(5) { secret.append(ClassifiedRecords.Key(id: id, version: try p.int(3), updatedAt: try p.int64(4))) }
        }
        // A 涉密 row's name column holds a placeholder; its real name is in the sealed record, and
        // only readers named on it reach this point with its row.
        let opened = secret.isEmpty ? [:] : try await ClassifiedRecords.of(req.application).records(keys: secret, on: req.db)
        let rows = try risks.compactMap { r -> Row? in
            let id = try r.uuid(0)
            guard let project = listed[id] else { return nil }
            return Row(
                projectId: id, code: project.code, name: opened[id]?.name ?? project.name, unitId: try r.uuid(5), stage: try r.text(6),
                rating: RiskRating(storedLevel: try r.int(1), points: try r.int(2), reasons: try ProjectRiskRow.reasons(try r.text(3))),
                ratedOn: try r.text(4))
        }
        return Page(rows: rows, total: total, query: query, byLevel: byLevel)
    }

    /// The page's rating rows, in rank order: level and points descending, project id to break ties.
    static func pageQuery(_ query: RiskListQuery, actor: Actor, visible: [UUID]) -> SQLQueryString {
        "SELECT project_id, level, points, reasons, rated_on, unit_id, stage FROM project_risks WHERE "
            + condition(query, actor: actor, visible: visible)
            + " ORDER BY level DESC, points DESC, project_id" + query.paging.sqlLimit
    }

    /// A unit's own projects, the filters, and the reach: every row that is not 涉密, and the 涉密
    /// rows the caller is named on (`visible`), decided from the indexes' `classified` column.
    static func condition(_ query: RiskListQuery, actor: Actor, visible: [UUID]) -> SQLQueryString {
        var parts: [SQLQueryString] = []
        if actor.organisationType == .unit { parts.append("unit_id = \(bind: actor.organisationId)") }
        if let unitId = query.unitId { parts.append("unit_id = \(bind: unitId)") }
        if let level = query.level { parts.append("level = \(bind: level)") }
        if let year = query.planYear { parts.append("plan_year = \(bind: year)") }
        parts.append(visible.isEmpty ? "NOT classified" : "NOT (classified AND project_id NOT IN (\(binds: visible)))")
        return parts.joined(separator: " AND ")
    }
}
