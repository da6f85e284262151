import Vapor
import ZhengxinCore

/// A vendor's home page (承建单位、监理单位: 第十五条、第十六条). The Measures give a vendor no step of
/// their own in the flow: the contract, the reports, the completion, the acceptance and any
/// rectification are the 项目单位's to record (every action's actors say so), so there is no queue.
/// The page shows the projects the vendor is contracted on (never another's; a 涉密 project only to
/// one named on it), the stage each is in, the vendor's own contract and the dates that bind the
/// project, from the core's deadline scan.
struct VendorHomePage: Encodable {
    struct DateLine: Encodable {
        var title: String; var status: String; var rule: String; var article: String; var overdue: Bool
    }
    struct Line: Encodable {
        var id: String, code: String, name: String, stageTitle: String
        var contracts: [String]
        var dates: [DateLine]
        var hasDates: Bool
        var overdue: Bool
    }

    var lines: [Line]
    var total: Int
    var hasLines: Bool
    var overdue: [HomeQueries.Overdue]
    var overdueTotal: Int
    var hasOverdue: Bool

    /// How far ahead a coming deadline of a contracted project is shown: the vendor plans its work by it.
    static let horizonDays = 180

    static func make(_ actor: Actor, limit: Int, _ req: Request) async throws -> VendorHomePage {
        var query = ProjectListQuery()
        (query.sort, query.descending, query.perPage) = (.updated, true, limit)
        let scope = try await ProjectListing.scope(for: actor, on: req)
        let page = try await ProjectListing.page(query, for: actor, records: true, scope: scope, on: req)
        let book = try await PolicyStore.book(on: req.db)
        let today = req.now.beijingDate
        let lines = try page.rows.map { row in
            let record = try row.project.decoded()
            let policy = book.governing(record, today: today)
            var contracts = record.constructionContracts.filter { $0.contractorOrganisationId == actor.organisationId }.map {
                "建设合同 \($0.contractNumber),签订于\($0.signedOn.chinese),免费维保期至\($0.warrantyEnd.chinese)"
            }
            contracts += record.supervisionContracts.filter { $0.supervisionFirmOrganisationId == actor.organisationId }.map {
                "监理合同 \($0.contractNumber),签订于\($0.signedOn.chinese)"
            }
            let statuses: [DeadlineStatus: String] = [.upcoming: "即将到期", .due: "已到期", .overdue: "已逾期"]
            let dates = DeadlineScan.deadlines(for: record, today: today, policy: policy, leadDays: horizonDays).map {
                DateLine(
                    title: $0.message, status: statuses[$0.status] ?? "", rule: $0.rule, article: $0.article,
                    overdue: $0.status == .overdue)
            }
            return Line(
                id: record.id.uuidString, code: record.code, name: row.name, stageTitle: record.stage.chinese, contracts: contracts,
                dates: dates, hasDates: !dates.isEmpty, overdue: row.overdue)
        }
        let overdue = try await HomeQueries.overdue(actor, scope: scope, limit: limit, req)
        return VendorHomePage(
            lines: lines, total: page.total, hasLines: !lines.isEmpty, overdue: overdue.items, overdueTotal: overdue.total,
            hasOverdue: !overdue.items.isEmpty)
    }
}
