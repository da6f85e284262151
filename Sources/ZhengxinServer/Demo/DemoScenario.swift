import Foundation
import ZhengxinCore

/// Walks demo projects through the real lifecycle rules, step by step at chosen dates, so the
/// demo data is exactly what the system would have produced. Any refusal is a bug in the demo.
package struct DemoWalker {
    var actors: [OrganisationType: Actor]
    var unit: Actor
    var store: DocumentStore
    /// Sees every accepted step (seed-bench turns each into the audit entry the server would write).
    var observe: ((WalkedStep) -> Void)? = nil
    /// The bytes of an attached document: by default they name the project; seed-bench shares one text per kind.
    package var documentText: (ProjectRecord, DocumentKind) -> String = { p, kind in "\(p.name)\n\(kind.chinese)\n(演示文档)\n" }
    /// When a step taken on a date happens; nil: 10:00 (an upload 9:00). The demo spreads its steps
    /// over the working day, each after the one before.
    var clock: ((CivilDate) -> Instant)? = nil
    /// The 承建单位's organisation, named on each construction contract when set.
    package var vendor: UUID? = nil

    struct WalkedStep {
        var action: String
        var actor: Actor
        var at: Instant
        var before: ProjectRecord
        var after: ProjectRecord
        var summary: String
    }

    struct Refused: Error, CustomStringConvertible {
        var action: String
        var violations: [Violation]
        var description: String { "演示数据步骤「\(action)」被拒绝: " + violations.map { "\($0.rule) \($0.message)" }.joined(separator: "; ") }
    }

    package func step(
        _ p: inout ProjectRecord, _ action: String, by type: OrganisationType? = nil, on date: CivilDate, _ body: [String: Any] = [:]
    )
        throws
    {
        // Documents come only from their bytes (`attach`), as on the server's routes.
        guard !DocumentBinding.uploadOnly.contains(action) else {
            throw Refused(action: action, violations: [.input("action", "请用 attach 上传文档内容")])
        }
        let actor = type.map { actors[$0]! } ?? unit
        let ctx = DecisionContext(actor: actor, now: clock?(date) ?? Instant(beijing: date, hour: 10), policy: .zhengzhou2020)
        let data = try DemoBody.json(body)
        switch Lifecycle.perform(action: action, body: data, on: p, ctx) {
        case .accepted(let next, let summary)?:
            observe?(WalkedStep(action: action, actor: actor, at: ctx.now, before: p, after: next, summary: summary))
            p = next
        case .refused(let v)?: throw Refused(action: action, violations: v)
        case .forbidden(let reason)?: throw Refused(action: action, violations: [.input("", reason)])
        case nil: throw Refused(action: action, violations: [.input("", "unknown action")])
        }
    }

    package func attach(_ p: inout ProjectRecord, _ kind: DocumentKind, on date: CivilDate, by type: OrganisationType? = nil) throws {
        let text = documentText(p, kind)
        let data = Data(text.utf8)
        // Through DocumentBinding like an upload: type named from the content, a 涉密 project's
        // bytes sealed, the bytes found in the store before the record names them.
        let facts = DocumentBinding.Facts(
            kind: kind, filename: "\(kind.chinese).txt",
            sharingChapter: kind.needsSharingChapter ? Set(SharingChapterPart.allCases) : nil)
        let payload = try DocumentBinding.store(data, facts, sealed: p.classified, in: store)
        let actor = type.map { actors[$0]! } ?? unit
        let ctx = DecisionContext(actor: actor, now: clock?(date) ?? Instant(beijing: date, hour: 9), policy: .zhengzhou2020)
        switch Lifecycle.perform(AttachDocument.self, payload, on: p, ctx) {
        case .accepted(let next, let summary):
            observe?(WalkedStep(action: "attach-document", actor: actor, at: ctx.now, before: p, after: next, summary: summary))
            p = next
        case .refused(let v): throw Refused(action: "attach-document", violations: v)
        case .forbidden(let r): throw Refused(action: "attach-document", violations: [.input("", r)])
        }
    }

    static var passFindings: [[String: Any]] {
        ReviewCriterion.allCases.map { ["criterion": $0.rawValue, "satisfied": true, "comment": "符合要求"] }
    }

    /// Declaration through the reserve pool.
    package func toReserve(_ p: inout ProjectRecord, from d: CivilDate) throws {
        try step(&p, "declare", on: d)
        try step(&p, "start-technical-review", by: .bdb, on: d.addingDays(5))
        try step(
            &p, "issue-review-opinion", by: .bdb, on: d.addingDays(20),
            ["findings": Self.passFindings, "conclusion": "pass", "comment": "同意建设", "ownInfrastructureAccepted": true])
        if p.totalInvestment >= Policy.zhengzhou2020.executiveMeetingSuggestion {
            try step(&p, "mark-major", by: .drc, on: d.addingDays(25), ["major": true, "reason": "总投资较大且关系全市"])
            try step(
                &p, "record-executive-meeting", by: .drc, on: d.addingDays(30),
                ["meetingOn": d.addingDays(30).description, "minutesReference": "市政府常务会议纪要〔\(d.year)〕12号", "agreed": true])
        }
        try step(
            &p, "admit-to-reserve-pool", by: .drc, on: d.addingDays(40),
            ["approvedOn": d.addingDays(40).description, "documentNumber": "郑政文〔\(d.year)〕\(p.code.suffix(2))号"])
    }

    /// From `planned` through approval.
    package func toApproved(_ p: inout ProjectRecord, from d: CivilDate) throws {
        let path = ApprovalPath.documents(for: p, .zhengzhou2020)
        for kind in path { try attach(&p, kind, on: d) }
        try step(&p, "apply-for-approval", on: d)
        for (i, kind) in path.enumerated() {
            let on = d.addingDays(20 * (i + 1))
            try step(
                &p, "approve-document", by: .drc, on: on,
                [
                    "kind": kind.rawValue, "documentNumber": "郑发改审批〔\(on.year)〕\(100 + i)号", "approvedOn": on.description,
                    "approvedAmountFen": p.totalInvestment.value,
                ])
        }
    }

    /// From `approved` to construction under way, with money planned and partly paid.
    package func toConstructing(_ p: inout ProjectRecord, from d: CivilDate) throws {
        let budget = p.approvedBudget!.value
        // In date order: the money is paid ten days after the plan, once procurement has started.
        try step(
            &p, "issue-fund-plan", by: .drc, on: d,
            ["amountFen": budget / 2, "documentNumber": "郑发改投资〔\(d.year)〕8号", "issuedOn": d.description])
        try step(
            &p, "record-responsibility", on: d, ["implementingAgency": "信息中心", "responsiblePerson": "张伟", "contactPhone": "0371-67180000"])
        try step(&p, "start-procurement", on: d)
        try step(
            &p, "disburse", by: .fin, on: d.addingDays(10),
            ["amountFen": budget / 4, "paidOn": d.addingDays(10).description, "voucherNumber": "ZF-\(d.year)-\(p.code.suffix(4))"])
        let awarded = d.addingDays(30)
        try step(
            &p, "record-procurement", on: awarded,
            [
                "category": "goods", "method": "publicTender", "amountFen": budget * 8 / 10, "supplier": "河南中原数字科技有限公司",
                "awardedOn": awarded.description,
                "items": [
                    ["name": "国产服务器", "productClass": "otherHardware", "domesticIP": true, "secureAndControllable": true],
                    ["name": "国产数据库", "productClass": "basicSoftware", "domesticIP": true, "secureAndControllable": true],
                    ["name": "业务应用系统", "productClass": "applicationSoftware", "domesticIP": true, "secureAndControllable": true],
                ],
            ])
        var contract: [String: Any] = [
            "contractNumber": "HT-\(p.code)", "contractor": "河南中原数字科技有限公司", "amountFen": budget * 8 / 10,
            "signedOn": awarded.addingDays(5).description, "warrantyEnd": awarded.addingMonths(36).description,
            "clauses": ContractClause.allCases.map { ["clause": $0.rawValue, "covered": true] },
        ]
        if let vendor { contract["contractorOrganisationId"] = vendor.uuidString }
        try step(&p, "record-construction-contract", on: awarded.addingDays(5), contract)
        try step(
            &p, "record-supervision-contract", on: awarded.addingDays(5),
            [
                "contractNumber": "JL-\(p.code)", "supervisionFirm": "郑州信息工程监理有限公司", "amountFen": budget / 50,
                "signedOn": awarded.addingDays(5).description,
            ])
        if p.classified {  // R-CON-5 (第十七条): every party of a 涉密 project signs a 保密协议 before work starts
            for (party, name) in [("unit", "项目单位"), ("contractor", "河南中原数字科技有限公司"), ("supervisor", "郑州信息工程监理有限公司")] {
                try step(
                    &p, "record-confidentiality-agreement", on: awarded.addingDays(5),
                    ["party": party, "partyName": name, "signedOn": awarded.addingDays(5).description])
            }
        }
        try step(&p, "start-construction", on: awarded.addingDays(10), ["startedOn": awarded.addingDays(10).description])
    }

    /// After acceptance: the report filed with the three agencies, the surplus returned, O&M under way.
    package func inOperation(_ p: inout ProjectRecord, from d: CivilDate) throws {
        try attach(&p, .acceptanceReport, on: d)
        try step(&p, "file-acceptance-report", on: d, ["documentNumber": p.documents(of: .acceptanceReport).last!.number])
        if let surplus = p.surplus, surplus.amount > .zero {
            try step(
                &p, "record-surplus-return", by: .fin, on: d,
                ["amountFen": surplus.amount.value, "returnedOn": d.description, "voucherNumber": "TH-\(p.code)"])
        }
        try step(
            &p, "start-operations", on: d,
            [
                "organisation": "信息中心运维科", "rules": "《信息系统运行维护管理制度》", "mode": "selfManaged",
                "effectiveFrom": d.description,
            ])
    }

    /// R-SEC-1, R-SEC-2: 等级保护 filing, 密码 planned (in the design document) and built.
    package func recordSecurity(_ p: inout ProjectRecord, on date: CivilDate) throws {
        try step(
            &p, "record-graded-protection", on: date,
            ["level": 3, "filingNumber": "41010013001-\(p.code.suffix(4))", "filedOn": date.description])
        if let design = p.documents.last(where: { $0.kind.needsSharingChapter }) {
            try step(&p, "record-crypto-plan", on: date, ["designDocumentNumber": design.number, "summary": "采用SM2/SM3/SM4的密码应用方案"])
        }
        try step(&p, "record-crypto-built", on: date, ["on": date.description, "summary": "密码保障系统已建成"])
    }

    /// From construction to final acceptance by all three agencies.
    func toAccepted(_ p: inout ProjectRecord, completedOn done: CivilDate) throws {
        try recordSecurity(&p, on: done.addingDays(-10))
        try step(&p, "record-completion", on: done, ["completedOn": done.description])
        try step(
            &p, "record-preliminary-acceptance", on: done.addingDays(5),
            ["heldOn": done.addingDays(5).description, "passed": true, "notes": "初步验收合格"])
        try finishAcceptance(&p, completedOn: done)
    }

    /// From the trial run to final acceptance: catalog, product review, the four documents, the
    /// application and (unless `signOff` is false) the three agencies' sign-offs.
    package func finishAcceptance(_ p: inout ProjectRecord, completedOn done: CivilDate, signOff: Bool = true) throws {
        try step(
            &p, "add-catalog-entry", on: done.addingDays(10),  // R-SHR-1: the catalog BDB registers (R-SHR-3)
            [
                "code": "\(p.code)-R01", "name": "\(p.name)业务数据", "provider": "项目单位", "summary": "\(p.name)产生的业务办理数据",
                "format": "数据库", "dataItems": [["name": "办件编号"], ["name": "办理结果"], ["name": "办结日期", "dataType": "日期型"]],
                "sharingType": "unconditional", "openType": "notOpen", "updateFrequency": "daily", "sharingMethod": "api",
            ])
        try step(
            &p, "confirm-catalog-registration", by: .bdb, on: done.addingDays(20),
            ["platformId": "ZZDATA-\(p.code)", "registeredOn": done.addingDays(20).description, "connectedToExchangePlatform": true])
        try step(
            &p, "record-product-security-review", on: done.addingDays(30),
            ["reviewedOn": done.addingDays(30).description, "conclusion": "关键产品均为安全可靠产品"])
        let applyOn = done.addingDays(5).addingMonths(3)
        for kind in [DocumentKind.constructionSummary, .financialReport, .auditReport, .securityRiskAssessment] {
            try attach(&p, kind, on: applyOn)
        }
        try step(&p, "apply-for-acceptance", on: applyOn)
        guard signOff else { return }
        for agency in [OrganisationType.drc, .fin, .bdb] {
            try step(
                &p, "sign-off-acceptance", by: agency, on: applyOn.addingDays(15),
                ["passed": true, "opinion": "同意通过竣工验收", "signedOn": applyOn.addingDays(15).description])
        }
    }
}
