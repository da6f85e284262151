import Foundation
import Testing

@testable import ZhengxinCore

/// What the walk creates. Defaults: a 500万元 (tier 1) unit-declared project for plan year 2027.
struct NewProject {
    var total = Fen(yuan: 5_000_000)
    var source: ProjectSource = .unitDeclaration
    var planYear = 2027
    var classified = false
    var ownInfrastructure: OwnInfrastructure? = nil
    /// Tier 2: DRC accepts 建设内容单一、技术方案简单 before the application.
    var simpleContent = false
    /// The amount each approval grants; the last fixes 概算总投资. Defaults to `total`.
    var approvedAmount: Fen? = nil
    /// R-SEC-1/2: the walk records the 等级保护 filing and builds the 密码 system during construction.
    /// false: it records none, under a policy that does not require them (to test those records themselves).
    var securityRecords = true
}

/// A project and "today", moved on only through the real actions of the Lifecycle.
struct Scenario {
    var project: ProjectRecord
    var today: CivilDate
    var policy: Policy = .zhengzhou2020
    var securityRecords = true

    static let order: [Stage] = [
        .draft, .declared, .techReview, .pendingGovernment, .reserve, .planned, .approving, .approved,
        .procuring, .constructing, .completed, .trialRunning, .acceptanceApplied, .accepted,
    ]

    /// A draft created by `Actors.unit` through ProjectCreation.
    static func draft(_ o: NewProject = NewProject(), on date: CivilDate = Timeline.created) throws -> Scenario {
        let draft = try decode(ProjectDraft.self, Payloads.draft(o))
        switch ProjectCreation.create(draft, id: UUID(), code: "ZZ-2027-0001", makeContext(Actors.unit, date)) {
        case .success(let p):
            var s = Scenario(project: p, today: date)
            if !o.securityRecords {
                s.securityRecords = false
                var params = Policy.zhengzhou2020.operationsSecurity
                params.securityRecordsBeforeAcceptance = false
                s.policy.operationsAndSecurity = params
            }
            return s
        case .failure(let why): throw TestFailure(description: "creation refused: \(why)")
        }
    }

    /// A project walked from draft to `stage` by the standard path.
    static func at(_ stage: Stage, _ o: NewProject = NewProject()) throws -> Scenario {
        var s = try draft(o)
        try s.walk(to: stage, o)
        return s
    }

    func context(_ actor: Actor, on date: CivilDate? = nil) -> DecisionContext {
        makeContext(actor, date ?? today, policy: policy)
    }

    /// The decision for an action by wire name and JSON body; changes nothing.
    func attempt(_ action: String, by actor: Actor, _ json: JSON = [:], on date: CivilDate? = nil) -> Decision {
        guard let d = Lifecycle.perform(action: action, body: body(json), on: project, context(actor, on: date)) else {
            preconditionFailure("no action named \(action)")
        }
        return d
    }

    /// Performs the action and keeps its result; fails the test if it is not accepted. `on` moves today.
    @discardableResult
    mutating func act(
        _ action: String, by actor: Actor, _ json: JSON = [:], on date: CivilDate? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProjectRecord {
        let d = attempt(action, by: actor, json, on: date)
        guard let next = d.project else {
            Issue.record("「\(action)」 by \(actor.organisationType.rawValue) not accepted: \(d)", sourceLocation: sourceLocation)
            throw TestFailure(description: "\(action) not accepted")
        }
        project = next
        if let date { today = date }
        return next
    }

    mutating func walk(to target: Stage, _ o: NewProject = NewProject()) throws {
        guard let t = Scenario.order.firstIndex(of: target) else { preconditionFailure("cannot walk to \(target)") }
        while let i = Scenario.order.firstIndex(of: project.stage), i < t {
            try step(o)
            guard Scenario.order.firstIndex(of: project.stage).map({ $0 > i }) == true else {
                throw TestFailure(description: "walk stuck at \(project.stage)")
            }
        }
    }

    /// One transition of the standard path.
    private mutating func step(_ o: NewProject) throws {
        let unit = Actors.unit, drc = Actors.drc, bdb = Actors.bdb
        switch project.stage {
        case .draft:
            try act("declare", by: unit)
        case .declared:
            try act("start-technical-review", by: bdb, on: Timeline.review)
        case .techReview:
            try act(
                "issue-review-opinion", by: bdb, Payloads.opinion(ownInfrastructureAccepted: project.ownInfrastructure == nil ? nil : true))
        case .pendingGovernment:
            try act(
                "admit-to-reserve-pool", by: drc, ["approvedOn": Timeline.reserve.json, "documentNumber": "郑政文〔2026〕9号"],
                on: Timeline.reserve)
        case .reserve:
            try issuePlan()
        case .planned:
            if o.simpleContent { try act("rule-on-simple-content", by: drc, ["accepted": true, "reason": "内容单一"], on: Timeline.applied) }
            for kind in ApprovalPath.documents(for: project, policy) { try attach(kind, on: Timeline.applied) }
            try act("apply-for-approval", by: unit, on: Timeline.applied)
        case .approving:
            for kind in ApprovalPath.documents(for: project, policy).dropFirst(project.approvals.count) {
                try act(
                    "approve-document", by: drc, Payloads.approval(kind, amount: o.approvedAmount ?? project.totalInvestment),
                    on: Timeline.approvedOn)
            }
        case .approved:
            try act("start-procurement", by: unit, on: Timeline.procurement)
        case .procuring:
            try recordConstructionPrerequisites()
            try act("start-construction", by: unit, ["startedOn": Timeline.construction.json], on: Timeline.construction)
        case .constructing:
            if securityRecords { try recordSecurity() }
            try act("record-completion", by: unit, ["completedOn": Timeline.completed.json], on: Timeline.completed)
        case .completed:
            try act(
                "record-preliminary-acceptance", by: unit, ["heldOn": Timeline.preliminary.json, "passed": true, "notes": "合格"],
                on: Timeline.preliminary)
        case .trialRunning:
            try prepareAcceptance()
            try act("apply-for-acceptance", by: unit, on: Timeline.trialEnd)
        case .acceptanceApplied:
            for agency in [Actors.drc, Actors.fin, Actors.bdb] { try signOff(by: agency) }
        default:
            throw TestFailure(description: "no standard step from \(project.stage)")
        }
    }

    /// R-PLAN-1: compile and issue a one-project annual plan through AnnualPlanRules.
    mutating func issuePlan(planned: Fen? = nil, on date: CivilDate = Timeline.planIssued) throws {
        if project.classified && !project.classifiedAccess.contains(Actors.drc.userId) {
            // A 涉密 project enters a plan only through a DRC user named on it (R-CON-5).
            try act("grant-classified-access", by: Actors.unit, ["userId": Actors.drc.userId.uuidString])
        }
        let ctx = context(Actors.drc, on: date)
        let compile = try decode(
            AnnualPlanRules.CompilePayload.self,
            [
                "year": project.planYear, "title": "\(project.planYear)年政务信息化项目政府投资计划",
                "lines": [["projectId": project.id.uuidString, "plannedAmountFen": (planned ?? project.totalInvestment).json]],
            ])
        guard case .success(let plan) = AnnualPlanRules.compile(compile, id: UUID(), projects: [project.id: project], ctx) else {
            throw TestFailure(description: "plan not compiled")
        }
        let issue = try decode(AnnualPlanRules.IssuePayload.self, ["documentNumber": "郑发改投资〔2027〕1号", "issuedOn": date.json])
        guard case .success(let (_, updated)) = AnnualPlanRules.issue(issue, plan: plan, projects: [project.id: project], ctx) else {
            throw TestFailure(description: "plan not issued")
        }
        project = updated[0]
        today = date
    }

    mutating func attach(
        _ kind: DocumentKind, parts: Set<SharingChapterPart> = Set(SharingChapterPart.allCases),
        evaluates: DocumentKind? = nil, opinion: Bool? = nil, on date: CivilDate? = nil
    ) throws {
        try act("attach-document", by: Actors.unit, Payloads.document(kind, parts: parts, evaluates: evaluates, opinion: opinion), on: date)
    }

    /// R-SEC-1, R-SEC-2 (第三十二条, 第三十三条): 等级保护 filing and 密码 planned and built, unless the test did it.
    mutating func recordSecurity() throws {
        if project.security.gradedProtection == nil {
            try act(
                "record-graded-protection", by: Actors.unit,
                ["level": 2, "filingNumber": "41010013001-00001", "filedOn": Timeline.construction.json],
                on: Timeline.construction)
        }
        if project.security.crypto.planned == nil, let design = project.documents.last(where: { $0.kind.needsSharingChapter }) {
            try act(
                "record-crypto-plan", by: Actors.unit, ["designDocumentNumber": design.number, "summary": "密码应用方案"],
                on: Timeline.construction)
        }
        if project.security.crypto.built == nil {
            try act(
                "record-crypto-built", by: Actors.unit, ["on": Timeline.construction.json, "summary": "SM2/SM3/SM4"],
                on: Timeline.construction)
        }
    }

    /// R-CON-1..5: everything start-construction asks for.
    mutating func recordConstructionPrerequisites() throws {
        let unit = Actors.unit
        try act("record-responsibility", by: Actors.unit, Payloads.responsibility)
        try act("record-procurement", by: unit, Payloads.procurement())
        try act("record-construction-contract", by: unit, Payloads.constructionContract())
        try act("record-supervision-contract", by: unit, Payloads.supervisionContract())
        if project.classified {
            let parties: [(ConfidentialityParty, String)] = [(.unit, "项目单位"), (.contractor, "某科技有限公司"), (.supervisor, "某监理公司")]
            for (party, name) in parties {
                try act("record-confidentiality-agreement", by: unit, ["party": party.rawValue, "partyName": name, "signedOn": today.json])
            }
        }
    }

    /// R-ACC-3: the four documents, BDB's catalog confirmation (R-SHR-3) and the product review (R-SEC-3).
    mutating func prepareAcceptance(except skipped: Set<String> = []) throws {
        for kind in AcceptanceActions.requiredDocuments where !skipped.contains(kind.rawValue) { try attach(kind) }
        if !skipped.contains("catalog") {
            if project.sharing.activeEntries.isEmpty { try act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry()) }  // R-SHR-3
            try act(
                "confirm-catalog-registration", by: Actors.bdb,
                ["platformId": "ZZ-DATA-001", "registeredOn": today.json, "connectedToExchangePlatform": true])
        }
        if !skipped.contains("security") {
            try act("record-product-security-review", by: Actors.unit, ["reviewedOn": today.json, "conclusion": "关键产品安全可靠"])
        }
    }

    mutating func signOff(by agency: Actor, passed: Bool = true, on date: CivilDate = Timeline.signOff) throws {
        try act("sign-off-acceptance", by: agency, ["passed": passed, "opinion": "验收意见", "signedOn": date.json], on: date)
    }

    mutating func issueFundPlan(_ amount: Fen, on date: CivilDate? = nil) throws {
        try act(
            "issue-fund-plan", by: Actors.drc,
            ["amountFen": amount.json, "documentNumber": "郑发改投资〔2027〕8号", "issuedOn": (date ?? today).json], on: date)
    }

    func disbursement(_ amount: Fen, on date: CivilDate? = nil) -> Decision {
        attempt(
            "disburse", by: Actors.fin, ["amountFen": amount.json, "paidOn": (date ?? today).json, "voucherNumber": "PZ-001"], on: date)
    }

    mutating func disburse(_ amount: Fen, on date: CivilDate? = nil) throws {
        try act(
            "disburse", by: Actors.fin, ["amountFen": amount.json, "paidOn": (date ?? today).json, "voucherNumber": "PZ-001"], on: date)
    }
}
