import Foundation
import Vapor
import ZhengxinCore

/// The ranked list's parameters (`level`, `unitId`, `year`, `page`, `perPage`) behind `GET /api/v1/risks`
/// and the `/risks` page, each checked before any read: a bad value is a 400 naming its field.
struct RiskListQuery: Sendable, Equatable {
    var level: Int?
    var unitId: UUID?
    /// 计划年度, as the reports filter by it.
    var planYear: Int?
    var paging = PageRequest(page: 1, per: PageRequest.defaultPerPage)

    static func parse(_ req: Request) throws -> RiskListQuery {
        let parameters = URLParameters(req)
        let text = { (name: String) -> String? in
            guard let value = parameters[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var query = RiskListQuery()
        var problems: [Violation] = []
        if let value = text("level") {
            if let n = Int(value), (1...5).contains(n) { query.level = n } else { problems.append(.input("level", "风险等级应为1至5之间的整数")) }
        }
        if let value = text("unitId") {
            if let id = UUIDText.parse(value) { query.unitId = id } else { problems.append(.input("unitId", "项目单位参数无效")) }
        }
        if let value = text("year") {
            if let year = Int(value), (2000...2100).contains(year) {
                query.planYear = year
            } else {
                problems.append(.input("year", "计划年度应为2000至2100之间的四位年份"))
            }
        }
        do {
            query.paging = try PageRequest.parse(
                page: text("page"), per: text("perPage"), defaultPer: PageRequest.defaultPerPage, maxPer: PageRequest.maxPerPage)
        } catch let invalid as APIError {
            problems += invalid.violations
        }
        guard problems.isEmpty else { throw APIError.invalid(problems) }
        return query
    }

    /// The query string of this query at `page`, for page links.
    func parameters(page: Int) -> String {
        var items = [("page", String(page)), ("perPage", String(paging.per))]
        if let level { items.append(("level", String(level))) }
        if let unitId { items.append(("unitId", unitId.uuidString)) }
        if let planYear { items.append(("year", String(planYear))) }
        return items.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}
