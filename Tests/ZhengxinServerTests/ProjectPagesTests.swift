import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The project page, action forms, declaration form and documents over HTTP.
@Suite("Project pages")
struct ProjectPagesTests {
    /// Posts a form as `user` (its session token as the cookie) with the page's CSRF value.
    static func post(_ world: TestWorld, _ path: String, as user: String, _ form: [(String, String)], csrf: Bool = true) async throws
        -> PageReply
    {
        let token = world.tokens[user]!
        return try await world.page(.POST, path, session: token, form: (csrf ? [("_csrf", WebCSRF.token(for: token))] : []) + form)
    }

    static func act(
        _ world: TestWorld, _ id: String, _ action: String, as user: String, _ form: [(String, String)] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let reply = try await post(world, "/projects/\(id)/actions/\(action)", as: user, form)
        #expect(
            reply.status == .seeOther, "\(action) as \(user): \(reply.status) \(Self.violations(reply.html))",
            sourceLocation: sourceLocation)
        #expect(reply.location == "/projects/\(id)?done=\(action)", sourceLocation: sourceLocation)
    }

    static func violations(_ html: String) -> String {
        html.range(of: "class=\"violations\"").map { String(html[$0.upperBound...].prefix(600)) } ?? String(html.prefix(300))
    }

    static func upload(_ world: TestWorld, _ id: String, kind: String, as user: String = "unitA", parts: [String] = []) async throws
        -> PageReply
    {
        let token = world.tokens[user]!
        let boundary = "zx\(UUID().uuidString)"
        var body = ""
        var fields = [("_csrf", WebCSRF.token(for: token)), ("kind", kind)]
        fields += parts.map { ("sharingChapter[]", $0) }
        for (k, v) in fields { body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n" }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(kind).pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 \(kind) \(UUID())\n%%EOF\r\n--\(boundary)--\r\n"
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(WebSession.cookieName)=\(token)")
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await world.app.testing().sendRequest(
            .POST, "/projects/\(id)/documents", headers: headers, body: ByteBuffer(string: body))
        return PageReply(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }

    static let draftForm: [(String, String)] = [
        ("name", "智慧医疗<平台>"), ("source", "unitDeclaration"), ("planYear", "2027"),
        ("category", "businessSystem"), ("totalInvestmentFen", "5,000,000.00"),
        ("content", "建设内容"), ("goals", "建设目标"), ("classified", "false"),
        // 绩效目标 (R-GOAL-1, 第五条) typed into the table's rows; the third row is left blank.
        ("performanceIndicators.0.name", "接入部门数"), ("performanceIndicators.0.category", "quantity"),
        ("performanceIndicators.0.comparison", "atLeast"), ("performanceIndicators.0.target", "40"), ("performanceIndicators.0.unit", "个"),
        ("performanceIndicators.1.name", "办件时长缩短"), ("performanceIndicators.1.category", "social"),
        ("performanceIndicators.1.comparison", "atLeast"), ("performanceIndicators.1.target", "30"), ("performanceIndicators.1.unit", "%"),
        ("performanceIndicators.2.name", ""), ("performanceIndicators.2.category", ""), ("performanceIndicators.2.target", ""),
    ]

    static func declare(_ world: TestWorld) async throws -> String {
        let reply = try await post(world, "/projects", as: "unitA", draftForm)
        #expect(reply.status == .seeOther, "declare: \(reply.status) \(violations(reply.html))")
        let location = try #require(reply.location)
        #expect(location.hasSuffix("?done=create"))
        return String(location.dropFirst("/projects/".count).prefix { $0 != "?" })
    }

    @Test(
        "The project page renders for its unit (facts, money, SVG timeline, forms, audit); another unit 404; anonymous 303",
        arguments: Backend.all)
    func pageAndScope(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let id = try await Self.declare(world)
            let page = try await world.page("/projects/\(id)?done=create", session: world.tokens["unitA"])
            #expect(page.status == .ok)
            for text in [
                "智慧医疗&lt;平台&gt;", "5,000,000.00元", "<svg", "role=\"img\"", "今天 2026-03-02", "年度申报截止",
                "action=\"/projects/\(id)/actions/declare\"", "审计记录", "项目已创建", "name=\"_csrf\"", "尚无文档",
            ] {
                #expect(page.html.contains(text), "page lacks \(text)")
            }
            #expect(!page.html.contains("<平台>") && !page.html.contains("当前阶段没有由您办理的事项"))
            #expect(try await world.page("/projects/\(id)", session: world.tokens["unitB"]).status == .notFound)
            #expect(try await world.page("/projects/\(UUID())", session: world.tokens["unitA"]).status == .notFound)
            #expect(try await world.page("/projects/\(id)").status == .seeOther)
            // Another unit cannot act on it or read its documents either, whatever it sends.
            #expect(try await Self.post(world, "/projects/\(id)/actions/declare", as: "unitB", []).status == .notFound)
            #expect(try await world.page("/projects/\(id)/documents/1", session: world.tokens["unitB"]).status == .notFound)
            #expect(try await Self.upload(world, id, kind: "implementationPlan", as: "unitB").status == .notFound)
        }
    }

    @Test(
        "Declaration form: bad input 400 with the field named in Chinese and typed values kept; CSRF refused without change",
        arguments: Backend.all)
    func declarationForm(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let form = try await world.page("/projects/new", session: world.tokens["unitA"])
            #expect(form.status == .ok && form.html.contains("<label for=\"f-update-totalInvestmentFen\">"))
            var bad = Self.draftForm
            bad[4] = ("totalInvestmentFen", "5,000,000.001")
            bad[2] = ("planYear", "1999")
            let refused = try await Self.post(world, "/projects", as: "unitA", bad)
            #expect(refused.status == .badRequest)
            #expect(refused.html.contains("「总投资(元)」: 以元为单位最多两位小数(到分),如 1234567.89 或 123.5万"))
            #expect(refused.html.contains("value=\"5,000,000.001\"") && refused.html.contains("value=\"智慧医疗&lt;平台&gt;\""))
            let noToken = try await Self.post(world, "/projects", as: "unitA", Self.draftForm, csrf: false)
            #expect(noToken.status == .forbidden)
            let wrongToken = try await Self.post(
                world, "/projects", as: "unitA", [("_csrf", WebCSRF.token(for: world.tokens["unitB"]!))] + Self.draftForm, csrf: false)
            #expect(wrongToken.status == .forbidden)
            #expect(try await world.call(.GET, "/api/v1/projects", as: "unitA").array.isEmpty)
        }
    }

    @Test(
        "The main lifecycle by forms: declaration to construction, each action 303 and on the audit record; refusals 422/409/400 keep input",
        arguments: Backend.all)
    func lifecycleByForms(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let id = try await Self.declare(world)
            // Refused with its rule and article, what was typed kept (FIN disbursing before any fund plan).
            try await Self.act(world, id, "declare", as: "unitA")
            let wrongStage = try await Self.post(
                world, "/projects/\(id)/actions/disburse", as: "fin",
                [("amountFen", "100.00"), ("paidOn", "2026-03-02"), ("voucherNumber", "ZF-早")])
            #expect(wrongStage.status == .conflict && wrongStage.html.contains("R-STAGE"))
            try await Self.act(world, id, "start-technical-review", as: "bdb")
            var review: [(String, String)] = [("conclusion", "pass"), ("comment", "同意"), ("ownInfrastructureAccepted", "")]
            for (i, c) in ReviewCriterion.allCases.enumerated() {
                review += [
                    ("findings.\(i).criterion", c.rawValue), ("findings.\(i).satisfied", "false"), ("findings.\(i).satisfied", "true"),
                    ("findings.\(i).comment", "符合"),
                ]
            }
            try await Self.act(world, id, "issue-review-opinion", as: "bdb", review)
            try await Self.act(
                world, id, "admit-to-reserve-pool", as: "drc", [("approvedOn", "2026-03-02"), ("documentNumber", "郑政文〔2026〕1号")])
            var w = Walk(world)
            w.projectId = id
            try await w.toPlanned(amountFen: 500_000_000)
            #expect(
                try await Self.upload(world, id, kind: "implementationPlan", parts: SharingChapterPart.allCases.map(\.rawValue)).status
                    == .seeOther)
            try await Self.act(world, id, "apply-for-approval", as: "unitA")
            try await Self.act(
                world, id, "approve-document", as: "drc",
                [
                    ("kind", "implementationPlan"), ("documentNumber", "郑发改审批〔2027〕1号"),
                    ("approvedOn", "2026-03-02"), ("approvedAmountFen", "5000000"),
                ])
            // Over the approved budget: 422, the rule and article at the top of the form, the typed amount kept.
            let over = try await Self.post(
                world, "/projects/\(id)/actions/issue-fund-plan", as: "drc",
                [("amountFen", "5,000,000.01"), ("documentNumber", "资金计划<1>号"), ("issuedOn", "2026-03-02")])
            #expect(over.status == .unprocessableEntity)
            #expect(over.html.contains("第十一条") && over.html.contains("R-FUND"))
            #expect(over.html.contains("id=\"action-issue-fund-plan\" open"))
            #expect(over.html.contains("value=\"5,000,000.01\"") && over.html.contains("value=\"资金计划&lt;1&gt;号\""))
            // A field sent twice is refused (400) and changes nothing: no guess at which amount was meant.
            let twice = try await Self.post(
                world, "/projects/\(id)/actions/issue-fund-plan", as: "drc",
                [("amountFen", "1"), ("amountFen", "2,500,000"), ("documentNumber", "资金计划1号"), ("issuedOn", "2026-03-02")])
            #expect(twice.status == .badRequest && twice.html.contains("重复"))
            #expect(((try await world.call(.GET, "/api/v1/projects/\(id)", as: "drc").project["fundPlans"] as? [Any]) ?? []).isEmpty)
            try await Self.act(
                world, id, "issue-fund-plan", as: "drc",
                [("amountFen", "2,500,000"), ("documentNumber", "资金计划1号"), ("issuedOn", "2026-03-02")])
            try await Self.act(
                world, id, "disburse", as: "fin", [("amountFen", "1250000.50"), ("paidOn", "2026-03-02"), ("voucherNumber", "ZF-1")])
            try await Self.act(
                world, id, "record-responsibility", as: "unitA",
                [("implementingAgency", "信息中心"), ("responsiblePerson", "张伟"), ("contactPhone", "0371-1")])
            try await Self.act(world, id, "start-procurement", as: "unitA")
            try await Self.act(
                world, id, "record-procurement", as: "unitA",
                [
                    ("category", "goods"), ("method", "publicTender"), ("amountFen", "2500000"),
                    ("supplier", "某科技公司"), ("awardedOn", "2026-03-02"), ("items.0.name", "数据库"), ("items.0.productClass", "basicSoftware"),
                    ("items.0.domesticIP", "true"), ("items.0.secureAndControllable", "true"), ("items.1.name", ""),
                    ("items.1.productClass", ""),
                ])
            var contract: [(String, String)] = [
                ("contractNumber", "HT-1"), ("contractor", "某科技公司"), ("contractorOrganisationId", world.orgId(of: "vendor").uuidString),
                ("amountFen", "2500000"), ("signedOn", "2026-03-02"), ("warrantyEnd", "2031-01-01"),
            ]
            for (i, c) in ContractClause.allCases.enumerated() {
                contract += [("clauses.\(i).clause", c.rawValue), ("clauses.\(i).covered", "true")]
            }
            try await Self.act(world, id, "record-construction-contract", as: "unitA", contract)
            try await Self.act(
                world, id, "record-supervision-contract", as: "unitA",
                [
                    ("contractNumber", "JL-1"), ("supervisionFirm", "某监理公司"),
                    ("amountFen", "50000"), ("signedOn", "2026-03-02"),
                ])
            try await Self.act(world, id, "start-construction", as: "unitA", [("startedOn", "2026-03-02")])
            let project = try await world.call(.GET, "/api/v1/projects/\(id)", as: "unitA").project
            #expect(project["stage"] as? String == "constructing")
            #expect((project["disbursements"] as? [[String: Any]])?.first?["amount"] as? Int == 125_000_050)
            let audit = try await world.call(.GET, "/api/v1/projects/\(id)/audit", as: "unitA").array.compactMap { $0 as? [String: Any] }
            for action in ["declare", "issue-review-opinion", "approve-document", "disburse", "start-construction"] {
                #expect(
                    audit.contains { $0["action"] as? String == action && $0["result"] as? String == "accepted" }, "\(action) not audited")
            }
            #expect(audit.contains { $0["action"] as? String == "issue-fund-plan" && $0["result"] as? String == "refused" })
            let page = try await world.page("/projects/\(id)", session: world.tokens["unitA"])
            #expect(
                page.html.contains("开工 2026-03-02") && page.html.contains("1,250,000.50元") && page.html.contains("implementationPlan.pdf"))
        }
    }

    @Test("涉密: the grant form offers users by name; once granted by form, the named colleague sees the page", arguments: Backend.all)
    func classifiedGrant(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let reply = try await Self.post(
                world, "/projects", as: "unitA", Self.draftForm.filter { $0.0 != "classified" } + [("classified", "true")])
            let id = String(try #require(reply.location).dropFirst("/projects/".count).prefix { $0 != "?" })
            #expect(try await world.page("/projects/\(id)", session: world.tokens["unitA2"]).status == .notFound)
            let page = try await world.page("/projects/\(id)", session: world.tokens["unitA"])
            let colleague = world.userIds["unitA2"]!.uuidString
            #expect(page.html.contains("<option value=\"\(colleague)\">unitA2(市卫生健康委)</option>"))
            try await Self.act(world, id, "grant-classified-access", as: "unitA", [("userId", colleague)])
            #expect(try await world.page("/projects/\(id)", session: world.tokens["unitA2"]).status == .ok)
        }
    }

    @Test("Web download is an attachment that is never active content; an unknown action is 404", arguments: Backend.all)
    func documents(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let id = try await Self.declare(world)
            #expect(try await Self.upload(world, id, kind: "feasibilityStudy").status == .seeOther)
            let download = try await world.page("/projects/\(id)/documents/1", session: world.tokens["unitA"])
            #expect(download.status == .ok && download.html.hasPrefix("%PDF-1.4 feasibilityStudy"))
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            #expect(download.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(try await world.page("/projects/\(id)/documents/2", session: world.tokens["unitA"]).status == .notFound)
            #expect(try await Self.post(world, "/projects/\(id)/actions/no-such-action", as: "unitA", []).status == .notFound)
            #expect(try await Self.post(world, "/projects/\(id)/actions/declare", as: "unitA", [], csrf: false).status == .forbidden)
            #expect(try await world.call(.GET, "/api/v1/projects/\(id)", as: "unitA").stage == "draft")
        }
    }
}
