import Foundation

enum AcceptanceActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(RecordCompletion.self), AnyActionRule(RecordPreliminaryAcceptance.self), AnyActionRule(ExtendTrialRun.self),
        AnyActionRule(FileDelayReport.self), AnyActionRule(ConfirmCatalogRegistration.self),
        AnyActionRule(RecordProductSecurityReview.self),
        AnyActionRule(ApplyForAcceptance.self), AnyActionRule(SignOffAcceptance.self), AnyActionRule(FileAcceptanceReport.self),
    ]
    /// 第二十一条: the four documents attached to an acceptance application.
    static let requiredDocuments: [DocumentKind] = [.constructionSummary, .financialReport, .auditReport, .securityRiskAssessment]
    /// 第二十一条: the three agencies that carry out final acceptance.
    static let signingAgencies: [OrganisationType] = [.drc, .fin, .bdb]
}

/// 建成 (R-ACC-1, 第二十一条): the 6-month acceptance clock starts at the completion date.
public enum RecordCompletion: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var completedOn: CivilDate }
    public static let spec = ActionSpec(
        "record-completion", "登记项目建成", actors: [.unit], stages: [.constructing], rule: "R-ACC-1", article: "第二十一条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.notFuture(x.completedOn, "completedOn", today: ctx.today) { c.add(v) }
        if let start = p.constructionStartedOn {
            c.require(x.completedOn >= start, .input("completedOn", "建成日期不能早于开工日期\(start.chinese)"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.completedOn = x.completedOn
        p.stage = .completed
        let deadline = AcceptanceClock.deadline(p, ctx.policy)!
        return "项目于\(x.completedOn.chinese)建成,应于\(deadline.chinese)前完成竣工验收"
    }
}

/// 初步验收 (R-ACC-2, 第二十条): if passed, the trial run starts the same day.
public enum RecordPreliminaryAcceptance: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var heldOn: CivilDate; public var passed: Bool; public var notes: String }
    public static let spec = ActionSpec(
        "record-preliminary-acceptance", "登记初步验收", actors: [.unit], stages: [.completed], rule: "R-ACC-2", article: "第二十条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.notes, "notes", max: 5000) { c.add(v) }
        if let v = Fields.notFuture(x.heldOn, "heldOn", today: ctx.today) { c.add(v) }
        if let done = p.completedOn { c.require(x.heldOn >= done, .input("heldOn", "初步验收日期不能早于建成日期\(done.chinese)")) }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.preliminaryAcceptance = PreliminaryAcceptance(heldOn: x.heldOn, passed: x.passed, notes: x.notes)
        guard x.passed else { return "初步验收不合格: \(x.notes)" }
        let minimumEnd = x.heldOn.addingMonths(ctx.policy.minimumTrialRunMonths)
        p.trialRun = TrialRun(startedOn: x.heldOn, minimumEnd: minimumEnd)
        p.stage = .trialRunning
        return "初步验收合格,试运行自\(x.heldOn.chinese)开始,不少于\(ctx.policy.minimumTrialRunMonths)个月(至\(minimumEnd.chinese))"
    }
}

/// R-ACC-2: DRC extends the trial run of a special project.
public enum ExtendTrialRun: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var newEnd: CivilDate; public var reason: String }
    public static let spec = ActionSpec(
        "extend-trial-run", "延长试运行期", actors: [.drc], stages: [.trialRunning], rule: "R-ACC-2", article: "第二十条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.reason, "reason", max: 5000) { c.add(v) }
        if let run = p.trialRun { c.require(x.newEnd > run.end, .input("newEnd", "延长后的试运行结束日期应晚于\(run.end.chinese)")) }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.trialRun?.extendedEnd = x.newEnd
        p.trialRun?.extensionReason = x.reason
        return "试运行期延长至\(x.newEnd.chinese): \(x.reason)"
    }
}

/// 延期报告 (R-ACC-4, 第二十二条).
public enum FileDelayReport: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var reasons: String; public var plannedAcceptanceOn: CivilDate }
    public static let spec = ActionSpec(
        "file-delay-report", "报告验收延期", actors: [.unit], stages: [.completed, .trialRunning, .acceptanceApplied], rule: "R-ACC-4",
        article: "第二十二条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.reasons, "reasons", max: 5000) { c.add(v) }
        c.require(x.plannedAcceptanceOn >= ctx.today, .input("plannedAcceptanceOn", "计划验收日期不能早于今天"))
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.delayReports.append(
            DelayReport(
                number: p.delayReports.count + 1, reasons: x.reasons, plannedAcceptanceOn: x.plannedAcceptanceOn, filedOn: ctx.today))
        return "报告验收延期,计划于\(x.plannedAcceptanceOn.chinese)验收: \(x.reasons)"
    }
}

/// R-SHR-3 (第二十八条, 第二十九条): BDB confirms the catalog is on the city exchange platform — which
/// needs a catalog (at least one entry) — and records which entries went on it (never secret ones,
/// R-SHR-5). In operation it confirms again for entries added or changed since.
public enum ConfirmCatalogRegistration: ProjectActionRule {
    public typealias Payload = CatalogRegistrationRequest
    public static let spec = ActionSpec(
        "confirm-catalog-registration", "确认信息资源目录纳入共享交换平台", actors: [.bdb],
        stages: [.constructing, .completed, .trialRunning, .acceptanceApplied, .accepted, .operating],
        rule: "R-SHR-3", article: "第二十八条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        SharingRules.hasCatalog(p).map { [$0] } ?? []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.platformId, "platformId", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.registeredOn, "registeredOn", today: ctx.today) { c.add(v) }
        c.add(SharingRules.registrationCheck(x, p))
        c.require(
            x.connectedToExchangePlatform, rule: "R-SHR-3", article: "第二十九条", "政务信息系统须接入市政务数据共享交换平台", field: "connectedToExchangePlatform")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let codes = SharingRules.register(x, on: &p)
        return "信息资源目录已纳入市政务数据共享交换平台(\(x.platformId)),目录条目: \(codes.isEmpty ? "无可共享条目" : codes.joined(separator: "、"))"
    }
}

/// 第三十四条: the unit reviews whether its key products are secure and controllable.
public enum RecordProductSecurityReview: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var reviewedOn: CivilDate; public var conclusion: String }
    public static let spec = ActionSpec(
        "record-product-security-review", "登记软硬件产品安全可靠情况审查", actors: [.unit],
        stages: [.constructing, .completed, .trialRunning], rule: "R-SEC-3", article: "第三十四条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.procurements.isEmpty ? [Violation(rule: "R-SEC-3", article: "第三十四条", message: "尚未登记采购的软硬件产品")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.conclusion, "conclusion", max: 5000), Fields.notFuture(x.reviewedOn, "reviewedOn", today: ctx.today)].compactMap {
            $0
        }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        // The per-product list acceptance looks at (R-SEC-3), kept in the security record.
        let key = p.procurements.flatMap { buy in
            buy.items.filter { $0.productClass.isKeyProduct }.map {
                KeyProduct(
                    procurementNumber: buy.number, name: $0.name, productClass: $0.productClass, domesticIP: $0.domesticIP,
                    secureAndControllable: $0.secureAndControllable)
            }
        }
        let secure = key.filter(\.secureAndControllable).count
        p.security.keyProducts = key
        p.productSecurityReview = ProductSecurityReview(
            reviewedOn: x.reviewedOn, conclusion: x.conclusion, keyProducts: key.count,
            secureAndControllableProducts: secure)
        let notSecure = key.filter { !$0.secureAndControllable }.map(\.name)
        return "关键产品\(key.count)项,其中安全可靠\(secure)项" + (notSecure.isEmpty ? "" : "(非安全可靠: \(notSecure.joined(separator: "、")))")
            + ": \(x.conclusion)"
    }
}

/// 竣工验收申请 (R-ACC-3, 第二十一条; R-ACC-4, 第二十二条).
public enum ApplyForAcceptance: ProjectActionRule {
    public static let spec = ActionSpec(
        "apply-for-acceptance", "申请竣工验收", actors: [.unit], stages: [.trialRunning], rule: "R-ACC-3", article: "第二十一条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let run = p.trialRun {
            c.require(
                ctx.today >= run.end, rule: "R-ACC-2", article: "第二十条",
                "试运行自\(run.startedOn.chinese)开始,\(run.extendedEnd == nil ? "不少于\(ctx.policy.minimumTrialRunMonths)个月" : "经延长")至\(run.end.chinese),试运行期未满"
            )
        }
        if AcceptanceClock.isOverdue(p, today: ctx.today, ctx.policy) {
            c.require(
                !p.delayReports.isEmpty, rule: "R-ACC-4", article: "第二十二条",
                "项目已超过建成后\(ctx.policy.acceptanceWindowMonths)个月(\(AcceptanceClock.deadline(p, ctx.policy)!.chinese)),须先报告延期原因并明确验收时间")
        }
        for kind in AcceptanceActions.requiredDocuments where p.documents(of: kind).isEmpty {
            c.add(Violation(rule: "R-ACC-3", article: "第二十一条", message: "申请竣工验收须附「\(kind.chinese)」"))
        }
        c.add(SharingRules.acceptanceViolations(p))
        c.require(p.productSecurityReview != nil, rule: "R-SEC-3", article: "第三十四条", "尚未登记软硬件产品安全可靠情况审查")
        c.add(SecurityDeadlines.acceptanceConditions(p, ctx))  // R-SEC-1 第三十三条, R-SEC-2 第三十二条
        return c.violations
    }

    public static func check(_ x: EmptyPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { [] }

    public static func apply(_ x: EmptyPayload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let docs = AcceptanceActions.requiredDocuments.compactMap { p.documents(of: $0).last?.number }
        p.acceptanceApplication = AcceptanceApplication(appliedOn: ctx.today, documentNumbers: docs)
        p.acceptanceSignOffs = []
        p.stage = .acceptanceApplied
        return "申请竣工验收"
    }
}

/// 竣工验收 (R-ACC-3, 第二十一条): DRC, FIN and BDB each sign off; with all three the project is
/// accepted and its surplus computed (R-FUND-2). A failed sign-off sends it back to trial run.
public enum SignOffAcceptance: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var passed: Bool; public var opinion: String; public var signedOn: CivilDate }
    public static let spec = ActionSpec(
        "sign-off-acceptance", "竣工验收意见", actors: Set(AcceptanceActions.signingAgencies),
        stages: [.acceptanceApplied], rule: "R-ACC-3", article: "第二十一条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.opinion, "opinion", max: 5000) { c.add(v) }
        if let v = Fields.notFuture(x.signedOn, "signedOn", today: ctx.today) { c.add(v) }
        if let applied = p.acceptanceApplication?.appliedOn {
            c.require(x.signedOn >= applied, .input("signedOn", "验收意见日期不能早于申请日期\(applied.chinese)"))
        }
        c.require(
            !p.acceptanceSignOffs.contains { $0.agency == ctx.actor.organisationType }, rule: "R-ACC-3", article: "第二十一条",
            "\(ctx.actor.organisationType.chinese)已出具验收意见")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let agency = ctx.actor.organisationType
        guard x.passed else {
            p.acceptanceSignOffs = []
            p.acceptanceApplication = nil
            p.stage = .trialRunning
            return "\(agency.chinese)验收意见: 不通过,退回整改后重新申请: \(x.opinion)"
        }
        p.acceptanceSignOffs.append(
            AcceptanceSignOff(agency: agency, passed: true, opinion: x.opinion, signedOn: x.signedOn, signedBy: ctx.actor.userId))
        let signed = Set(p.acceptanceSignOffs.map(\.agency))
        guard AcceptanceActions.signingAgencies.allSatisfy(signed.contains) else {
            return "\(agency.chinese)验收意见: 通过"
        }
        let acceptedOn = p.acceptanceSignOffs.map(\.signedOn).max()!
        p.acceptedOn = acceptedOn
        p.stage = .accepted
        let budget = p.approvedBudget ?? .zero
        let surplus = budget.subtracting(p.totalDisbursed) ?? .zero
        p.surplus = Surplus(amount: max(surplus, .zero), computedOn: acceptedOn)
        return "\(agency.chinese)验收意见: 通过。项目于\(acceptedOn.chinese)通过竣工验收,节余资金\(max(surplus, .zero).yuanText)"
    }
}

/// 验收报告备案 (第二十一条): the unit files the acceptance report with DRC, FIN and BDB.
public enum FileAcceptanceReport: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var documentNumber: Int }
    public static let spec = ActionSpec(
        "file-acceptance-report", "验收报告备案", actors: [.unit], stages: [.accepted], rule: "R-ACC-3", article: "第二十一条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require(p.acceptanceReportFiling == nil, rule: "R-ACC-3", article: "第二十一条", "验收报告已备案")
        c.require(!p.documents(of: .acceptanceReport).isEmpty, rule: "R-ACC-3", article: "第二十一条", "尚未上传验收报告")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.documents.contains { $0.number == x.documentNumber && $0.kind == .acceptanceReport }
            ? [] : [.input("documentNumber", "文档\(x.documentNumber)不是本项目的验收报告")]
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.acceptanceReportFiling = AcceptanceReportFiling(documentNumber: x.documentNumber, filedOn: ctx.today)
        return "验收报告已报市发展改革委、市财政局、市大数据局备案"
    }
}
