import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// GET /reports and /reports/*.csv against a known world, on both databases:
/// unitA has a project under construction (8,000,000元 approved, half planned, a quarter disbursed,
/// plan year 2027) and a 涉密 draft (1,000,000元); unitB a draft of 20,000,000元 for 2028.
@Suite("Portfolio report pages")
struct ReportPagesTests {
    struct Known {
        var constructing: String
        var secret: String
        var other: String
    }

    static func known(_ world: TestWorld) async throws -> Known {
        let built = try await RefusalTests.constructing(world, yuan: 8_000_000)
        var secret = Walk(world)
        try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
        var other = Walk(world, unit: "unitB")
        try await other.create(Walk.draft(name: "智慧教育平台", yuan: 20_000_000, planYear: 2028))
        // Overdue marks as the deadline scan writes them: one on the 涉密 draft, one on unitB's;
        // a resolved one and a merely upcoming one on the project under construction stay off the list.
        try await remind(world, secret.projectId, unit: "unitA", status: "overdue", due: "2026-01-10")
        try await remind(world, other.projectId, unit: "unitB", status: "overdue", due: "2026-02-01")
        try await remind(world, built.projectId, unit: "unitA", status: "overdue", due: "2026-01-01", resolved: true)
        try await remind(world, built.projectId, unit: "unitA", status: "upcoming", due: "2026-12-01")
        return Known(constructing: built.projectId, secret: secret.projectId, other: other.projectId)
    }

    static func remind(_ world: TestWorld, _ project: String, unit: String, status: String, due: String, resolved: Bool = false)
        async throws
    {
        let r = ReminderModel()
        r.key = "\(project)|acceptanceDue|r|\(due)|\(status)"
        r.projectId = UUID(uuidString: project)!
        r.unitId = world.orgId(of: unit)
        r.kind = DeadlineKind.allCases.first!.rawValue
        r.ref = "r"
        r.dueOn = due
        r.status = status
        r.audience = "DRC,UNIT"
        r.rule = "R-ACC-1"
        r.article = "第二十一条"
        r.message = "逾期说明\(due)"
        r.raisedAt = 0
        r.resolvedAt = resolved ? 1 : nil
        try await r.create(on: world.app.db)
    }

    /// A page as `user` sees it (its API session token is a web session too); nil: anonymous.
    static func get(_ world: TestWorld, _ path: String, as user: String?) async throws -> PageReply {
        try await world.page(path, session: user.flatMap { world.tokens[$0] })
    }

    /// The CSV's lines after the BOM, which must be there.
    static func csvLines(_ world: TestWorld, _ path: String, as user: String) async throws -> [String] {
        let reply = try await get(world, path, as: user)
        #expect(reply.status == .ok, "\(path) as \(user): \(reply.status)")
        #expect(Array(reply.html.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 BOM so Excel reads Chinese")
        let text = String(decoding: reply.html.utf8.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        return text.components(separatedBy: "\r\n").dropLast()
    }

    @Test("figures by unit: agencies see every unit, 涉密 money left out; a unit only its own", arguments: Backend.all)
    func figuresAndScope(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            _ = try await Self.known(world)
            let header = "项目单位,项目数,其中涉密项目数(金额不计入),申报总投资(元),批复概算(元),资金计划(元),已拨付(元),拨付率(占批复概算)"
            let unitA = "市卫生健康委,2,1,8000000.00,8000000.00,4000000.00,2000000.00,25.0%"
            let unitB = "市教育局,1,0,20000000.00,0.00,0.00,0.00,—"
            #expect(
                try await Self.csvLines(world, "/reports/by-unit.csv", as: "drc") == [
                    header, unitA, unitB, "合计,3,1,28000000.00,8000000.00,4000000.00,2000000.00,25.0%",
                ])
            // A unit is held to its own projects, whatever unit it asks for.
            let foreign = "/reports/by-unit.csv?unit=\(world.orgId(of: "unitB").uuidString)"
            #expect(try await Self.csvLines(world, foreign, as: "unitA") == [header, unitA, "合计" + unitA.dropFirst("市卫生健康委".count)])
            #expect(
                try await Self.csvLines(world, "/reports/by-unit.csv", as: "unitB") == [
                    header, unitB, "合计" + unitB.dropFirst("市教育局".count),
                ])
            // Agencies filter by unit and by plan year.
            let onlyA = try await Self.csvLines(world, "/reports/by-stage.csv?unit=\(world.orgId(of: "unitA").uuidString)", as: "fin")
            #expect(
                onlyA.dropFirst() == [
                    "草稿,1,1,0.00,0.00,0.00,0.00,—", "建设中,1,0,8000000.00,8000000.00,4000000.00,2000000.00,25.0%",
                    "合计,2,1,8000000.00,8000000.00,4000000.00,2000000.00,25.0%",
                ])
            #expect(
                try await Self.csvLines(world, "/reports/by-year.csv?year=2028", as: "aud").dropFirst() == [
                    "2028年,1,0,20000000.00,0.00,0.00,0.00,—", "合计,1,0,20000000.00,0.00,0.00,0.00,—",
                ])
            #expect(
                try await Self.csvLines(world, "/reports/by-tier.csv", as: "bdb").dropFirst() == [
                    "一类,2,1,8000000.00,8000000.00,4000000.00,2000000.00,25.0%", "二类,1,0,20000000.00,0.00,0.00,0.00,—",
                    "合计,3,1,28000000.00,8000000.00,4000000.00,2000000.00,25.0%",
                ])
        }
    }

    @Test("overdue list: active overdue marks in scope; a 涉密 project named only to users named on it", arguments: Backend.all)
    func overdueList(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let k = try await Self.known(world)
            let drc = try await Self.csvLines(world, "/reports/overdue.csv", as: "drc")
            #expect(drc.count == 3, "\(drc)")
            #expect(drc[1] == "—,涉密项目(未列明的人员不显示名称),市卫生健康委,\(DeadlineKind.allCases.first!.chinese),2026-01-10,R-ACC-1,第二十一条,")
            #expect(drc[2].hasPrefix("ZZ-2026-") && drc[2].contains("智慧教育平台,市教育局") && drc[2].hasSuffix("逾期说明2026-02-01"))
            // The unit user who created the 涉密 project is named on it; the unit's second user is not.
            #expect(try await Self.csvLines(world, "/reports/overdue.csv", as: "unitA").dropFirst().map { $0.contains("涉密专网") } == [true])
            #expect(try await Self.csvLines(world, "/reports/overdue.csv", as: "unitA2").dropFirst().map { $0.contains("涉密专网") } == [false])
            #expect(try await Self.csvLines(world, "/reports/overdue.csv", as: "unitB").count == 2)
            // The page: every chart, its table, the overdue list with its article, no 涉密 name for DRC.
            let page = try await Self.get(world, "/reports", as: "drc")
            let html = page.html
            #expect(page.status == .ok)
            #expect(html.components(separatedBy: "<svg").count - 1 == 9 && html.contains("role=\"img\""))
            #expect(html.contains("逾期清单(2项)") && html.contains("第二十一条") && html.contains("/projects/\(k.other)"))
            #expect(!html.contains("涉密专网") && !html.contains(k.secret.lowercased()) && !html.contains(k.secret.uppercased()))
            #expect(html.contains("/reports/by-unit.csv") && html.contains("28,000,000.00元"))
            let own = try await Self.get(world, "/reports?year=2027", as: "unitA").html
            #expect(own.contains("涉密专网") && !own.contains("智慧教育平台") && own.contains("/reports/by-stage.csv?year=2027"))
        }
    }

    /// The 风险等级分布 section's total row: the projects counted at all levels.
    static func riskTotal(_ html: String) -> Int? {
        guard let section = html.range(of: "id=\"report-risk\""),
            let end = html.range(of: "</tfoot>", range: section.upperBound..<html.endIndex)
        else { return nil }
        let foot = html[section.upperBound..<end.lowerBound]
        guard let last = foot.range(of: "<td class=\"num\">", options: .backwards) else { return nil }
        return Int(foot[last.upperBound...].prefix { $0.isNumber })
    }

    @Test("风险等级分布: counted under the report's filters; a 涉密 project only for users named on it", arguments: Backend.all)
    func riskDistribution(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let k = try await Self.known(world)
            let drc = try await Self.get(world, "/reports", as: "drc").html
            #expect(drc.contains("风险等级分布") && drc.contains("chart-risk-level"))
            // DRC is not named on the 涉密 draft: two of three projects, and unitB's row links to its list.
            #expect(Self.riskTotal(drc) == 2)
            #expect(drc.contains("unitId=\(world.orgId(of: "unitB").uuidString)"))
            #expect(!drc.contains(k.secret.lowercased()) && !drc.contains(k.secret.uppercased()))
            #expect(Self.riskTotal(try await Self.get(world, "/reports?year=2028", as: "drc").html) == 1)
            #expect(Self.riskTotal(try await Self.get(world, "/reports?unit=\(world.orgId(of: "unitA").uuidString)", as: "drc").html) == 1)
            // unitA's creator is named on its 涉密 draft; the unit's second user is not; unitB sees its own.
            #expect(Self.riskTotal(try await Self.get(world, "/reports", as: "unitA").html) == 2)
            #expect(Self.riskTotal(try await Self.get(world, "/reports", as: "unitA2").html) == 1)
            #expect(Self.riskTotal(try await Self.get(world, "/reports", as: "unitB").html) == 1)
            // The list the counts link to takes the same year filter.
            let list = try await Self.get(world, "/risks?year=2028", as: "drc")
            #expect(list.status == .ok && list.html.contains("智慧教育平台") && !list.html.contains("ZZ-2026-0001"))
            #expect(try await Self.get(world, "/risks?year=1999", as: "drc").status == .badRequest)
        }
    }

    @Test("who may read: vendors 403, administrators 403, anonymous to /login; bad filters 400, unknown file 404", arguments: Backend.all)
    func accessAndBadInput(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            _ = try await Self.known(world)
            for path in ["/reports", "/reports/by-stage.csv"] {
                #expect(try await Self.get(world, path, as: "vendor").status == .forbidden)
                #expect(try await Self.get(world, path, as: "adminAud").status == .forbidden)
                let anonymous = try await Self.get(world, path, as: nil)
                #expect(anonymous.status == .seeOther && anonymous.location == "/login")
                #expect(try await Self.get(world, path, as: "drcViewer").status == .ok)
            }
            for bad in ["year=20x6", "year=1999", "unit=not-a-uuid"] {
                let reply = try await Self.get(world, "/reports?\(bad)", as: "drc")
                #expect(reply.status == .badRequest, "\(bad)")
                #expect(reply.html.contains(bad.hasPrefix("year") ? "计划年度应为" : "项目单位参数无效"))
            }
            #expect(try await Self.get(world, "/reports/secrets.csv", as: "drc").status == .notFound)
            let csv = try await Self.get(world, "/reports/by-tier.csv", as: "drc")
            #expect(csv.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            let disposition = csv.headers.first(name: .contentDisposition) ?? ""
            #expect(
                disposition.hasPrefix(
                    "attachment; filename=\"zhengxin-by-tier-\(world.clock.now.beijingDate).csv\"; filename*=UTF-8''%E6%94%BF%E4%BF%A1"),
                "\(disposition)")
        }
    }
}
