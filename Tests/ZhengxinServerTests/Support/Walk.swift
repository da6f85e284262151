import Foundation
import Testing
import Vapor
import ZhengxinCore

/// Drives a project through the lifecycle over HTTP, as the agencies would, step by step.
/// Dates follow the world's clock, which each step moves forward.
struct Walk {
    let world: TestWorld
    var projectId = ""
    var unit = "unitA"

    init(_ world: TestWorld, unit: String = "unitA") {
        self.world = world
        self.unit = unit
    }

    static func draft(
        name: String = "全民健康信息平台", yuan: Int64, planYear: Int = 2027, source: String = "unitDeclaration",
        extra: [String: Any] = [:]
    ) -> [String: Any] {
        var body: [String: Any] = [
            "name": name, "source": source, "planYear": planYear, "category": "businessSystem",
            "totalInvestmentFen": yuan * 100, "content": "建设内容", "goals": "建设目标",
            "performanceIndicators": Self.indicators,
        ]
        for (k, v) in extra { body[k] = v }
        return body
    }

    mutating func create(_ draft: [String: Any]) async throws {
        let reply = try await world.call(.POST, "/api/v1/projects", as: unit, json: draft)
        #expect(reply.status == .created, "create: \(reply.violations)")
        projectId = reply.project["id"] as? String ?? ""
    }

    var today: String { world.clock.now.beijingDate.description }

    func advance(days: Int) {
        let d = world.clock.now.beijingDate.addingDays(days)
        world.clock.set(d)
    }

    func advance(months: Int) {
        world.clock.set(world.clock.now.beijingDate.addingMonths(months))
    }

    func upload(_ kind: String, as user: String? = nil, query: String = "") async throws -> JSONReply {
        let parts = DocumentKindParts.all(kind)
        let path = "/api/v1/projects/\(projectId)/documents?kind=\(kind)&filename=\(kind).pdf\(parts)\(query)"
        let reply = try await world.call(
            .POST, path, as: user ?? unit, raw: Data("%PDF-1.4 \(kind) \(UUID())\n%%EOF\n".utf8), contentType: "application/pdf")
        #expect(reply.status == .created, "upload \(kind): \(reply.status) \(reply.violations)")
        return reply
    }

    static var findings: [[String: Any]] {
        ["necessity", "scaleRationality", "technicalAdvancement", "securityReliability", "intensiveness"]
            .map { ["criterion": $0, "satisfied": true, "comment": "符合"] }
    }

    /// The five findings, the 集约性 one naming every project 查重 finds for BDB (R-REV-3, 第七条): a
    /// walk's projects often share a name and content, so each may match the others.
    static func findings(considering projectId: String, _ world: TestWorld) async throws -> [[String: Any]] {
        let similar = try await world.call(.GET, "/api/v1/projects/\(projectId)/similar", as: "bdb")
        let matches = similar["matches"] as? [[String: Any]] ?? []
        guard !matches.isEmpty else { return findings }
        return findings.map { f in
            guard f["criterion"] as? String == "intensiveness" else { return f }
            var f = f
            f["consideredProjects"] = matches.compactMap { $0["projectId"] as? String }
            f["restrictedConsidered"] = matches.contains { $0["restricted"] as? Bool == true }
            f["duplicateAssessment"] = "测试项目,与所列项目不重复"
            return f
        }
    }

    /// declared → reserve pool (with executive meeting for major projects).
    func toReserve(major: Bool = false) async throws {
        try await world.must(projectId, "declare", as: unit)
        try await world.must(projectId, "start-technical-review", as: "bdb")
        try await world.must(
            projectId, "issue-review-opinion", as: "bdb",
            ["findings": try await Self.findings(considering: projectId, world), "conclusion": "pass", "comment": "同意"])
        if major {
            try await world.must(projectId, "mark-major", as: "drc", ["major": true, "reason": "总投资较大且关系全市"])
            try await world.must(
                projectId, "record-executive-meeting", as: "drc", ["meetingOn": today, "minutesReference": "常务会纪要12号", "agreed": true])
        }
        try await world.must(projectId, "admit-to-reserve-pool", as: "drc", ["approvedOn": today, "documentNumber": "郑政文〔2026〕1号"])
    }

    /// reserve → planned through a compiled and issued annual plan.
    func toPlanned(year: Int = 2027, amountFen: Int64) async throws {
        let plan = try await world.call(
            .POST, "/api/v1/annual-plans", as: "drc",
            json: ["year": year, "title": "\(year)年度计划", "lines": [["projectId": projectId, "plannedAmountFen": amountFen]]])
        #expect(plan.status == .created, "compile plan: \(plan.violations)")
        let planId = plan["id"] as? String ?? ""
        let issued = try await world.call(
            .POST, "/api/v1/annual-plans/\(planId)/issue", as: "drc", json: ["documentNumber": "郑发改投资〔2027〕1号", "issuedOn": today])
        #expect(issued.status == .ok, "issue plan: \(issued.violations)")
    }

    /// planned → approved along `path`, each document uploaded then approved.
    func toApproved(path: [String], amountFen: Int64) async throws {
        _ = try await upload(path[0])
        try await world.must(projectId, "apply-for-approval", as: unit)
        for (i, kind) in path.enumerated() {
            if i > 0 { _ = try await upload(kind) }
            advance(days: 10)
            try await world.must(
                projectId, "approve-document", as: "drc",
                ["kind": kind, "documentNumber": "郑发改审批〔2027〕\(i + 1)号", "approvedOn": today, "approvedAmountFen": amountFen])
        }
    }

    func toConstructing(budgetFen: Int64, classified: Bool = false) async throws {
        try await world.must(
            projectId, "issue-fund-plan", as: "drc", ["amountFen": budgetFen / 2, "documentNumber": "资金计划1号", "issuedOn": today])
        try await world.must(projectId, "disburse", as: "fin", ["amountFen": budgetFen / 4, "paidOn": today, "voucherNumber": "ZF-1"])
        try await world.must(
            projectId, "record-responsibility", as: unit,
            ["implementingAgency": "信息中心", "responsiblePerson": "张伟", "contactPhone": "0371-1"])
        try await world.must(projectId, "start-procurement", as: unit)
        try await world.must(
            projectId, "record-procurement", as: unit,
            [
                "category": "goods", "method": "publicTender", "amountFen": budgetFen / 2, "supplier": "某科技公司", "awardedOn": today,
                "items": [["name": "数据库", "productClass": "basicSoftware", "domesticIP": true, "secureAndControllable": true]],
            ])
        try await world.must(
            projectId, "record-construction-contract", as: unit,
            [
                "contractNumber": "HT-1", "contractor": "某科技公司", "contractorOrganisationId": world.orgId(of: "vendor").uuidString,
                "amountFen": budgetFen / 2, "signedOn": today, "warrantyEnd": "2031-01-01",
                "clauses": Self.allClauses,
            ])
        try await world.must(
            projectId, "record-supervision-contract", as: unit,
            ["contractNumber": "JL-1", "supervisionFirm": "某监理公司", "amountFen": budgetFen / 100, "signedOn": today])
        if classified {
            for (party, name) in [("unit", "项目单位"), ("contractor", "某科技公司"), ("supervisor", "某监理公司")] {
                try await world.must(
                    projectId, "record-confidentiality-agreement", as: unit, ["party": party, "partyName": name, "signedOn": today])
            }
        }
        try await world.must(projectId, "start-construction", as: unit, ["startedOn": today])
    }

    static var allClauses: [[String: Any]] { ContractClause.allCases.map { ["clause": $0.rawValue, "covered": true] } }

    /// R-SEC-1, R-SEC-2 (第三十二条, 第三十三条): the 等级保护 filing and 密码 planned and built, unless done.
    func recordSecurity() async throws {
        let p = try await world.call(.GET, "/api/v1/projects/\(projectId)", as: unit).project
        let security = p["security"] as? [String: Any] ?? [:]
        let crypto = security["crypto"] as? [String: Any] ?? [:]
        if security["gradedProtection"] == nil {
            try await world.must(
                projectId, "record-graded-protection", as: unit, ["level": 2, "filingNumber": "41010013001-00001", "filedOn": today])
        }
        if crypto["planned"] == nil {
            let docs = p["documents"] as? [[String: Any]] ?? []
            let design = docs.last {
                ["feasibilityStudy", "preliminaryDesign", "implementationPlan"].contains($0["kind"] as? String ?? "")
            }
            try await world.must(
                projectId, "record-crypto-plan", as: unit, ["designDocumentNumber": design?["number"] as? Int ?? 0, "summary": "密码应用方案"])
        }
        if crypto["built"] == nil {
            try await world.must(projectId, "record-crypto-built", as: unit, ["on": today, "summary": "SM2/SM3/SM4"])
        }
    }

    /// constructing → accepted by the three agencies.
    func toAccepted() async throws {
        try await recordSecurity()
        advance(days: 30)
        try await world.must(projectId, "record-completion", as: unit, ["completedOn": today])
        try await world.must(projectId, "record-preliminary-acceptance", as: unit, ["heldOn": today, "passed": true, "notes": "合格"])
        try await world.must(projectId, "add-catalog-entry", as: unit, SharingFixtures.entry())  // R-SHR-3: a catalog to register
        try await world.must(
            projectId, "confirm-catalog-registration", as: "bdb",
            ["platformId": "ZZ-DATA-1", "registeredOn": today, "connectedToExchangePlatform": true])
        try await world.must(projectId, "record-product-security-review", as: unit, ["reviewedOn": today, "conclusion": "均安全可靠"])
        for kind in ["constructionSummary", "financialReport", "auditReport", "securityRiskAssessment"] { _ = try await upload(kind) }
        advance(months: 3)
        try await world.must(projectId, "apply-for-acceptance", as: unit)
        for agency in ["drc", "fin", "bdb"] {
            try await world.must(projectId, "sign-off-acceptance", as: agency, ["passed": true, "opinion": "同意", "signedOn": today])
        }
    }

    func project() async throws -> JSONReply { try await world.call(.GET, "/api/v1/projects/\(projectId)", as: unit) }
}

enum DocumentKindParts {
    static func all(_ kind: String) -> String {
        ["feasibilityStudy", "preliminaryDesign", "implementationPlan"].contains(kind)
            ? "&sharingChapter=applicationAnalysis,resourceCatalog,sharingOpenList" : ""
    }
}
