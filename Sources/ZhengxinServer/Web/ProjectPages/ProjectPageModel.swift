import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// What the project page shows: facts, money, documents, the timeline, sharing,
/// the audit record and the actions open to the caller as forms with their unmet conditions.
/// Plain values only: `project.leaf` draws it, its `#( )` escaping every text.
struct ProjectPageModel: Encodable {
    struct Fact: Encodable { var label: String; var value: String }
    struct Money: Encodable { var label: String; var value: String }
    struct Document: Encodable {
        var number: Int; var kind: String; var filename: String; var size: String; var uploadedAt: String; var href: String
    }
    struct AuditLine: Encodable {
        var at: String; var actor: String; var action: String; var result: String; var refused: Bool; var summary: String
    }
    struct OpenAction: Encodable {
        var form: ActionForm
        var rule: String
        var article: String
        var unmet: [Violation]
        var hasUnmet: Bool
        var unmetCount: Int
        /// The refusal of the last submission of this form, shown at its top.
        var refusal: [Violation]
        var hasRefusal: Bool
        /// This form was the one submitted: drawn open.
        var submitted: Bool
        var confirm: String?
        /// Beside the form (`action-help.leaf`): what the article requires, an example, the documents to attach first.
        var help: ActionHelp?
        /// 查重 warns the unit in its declaration form (R-REV-3): similar projects exist.
        var warnsSimilar = false
        /// 本单位已评价项目绩效 beside the O&M fee decisions (R-GOAL-2).
        var unitEvaluations: UnitEvaluations? = nil
    }
    struct OtherAction: Encodable { var title: String; var who: String; var article: String }
    /// A 催办 (第三十五条) as both sides read it: what was asked, by whom and by when, and the answer.
    struct UrgeLine: Encodable {
        var number: Int; var agency: String; var matter: String; var message: String; var urgedOn: String
        var answerBy: String?; var status: String; var late: Bool; var answer: String?; var answeredOn: String?
    }

    var id: UUID
    /// "/projects/<id>", the base of the page's form actions.
    var path: String
    var code: String
    var name: String
    var stage: String
    var facts: [Fact]
    var money: [Money]
    var documents: [Document]
    var uploadKinds: [FormOption]
    var sharingParts: [FormOption]
    var timeline: TimelineView
    var sharing: [Fact]
    var audit: [AuditLine]
    var showAudit: Bool
    /// The audit section's page (`auditPage`, newest first) and how many entries the project has.
    var auditPage = 1
    var auditTotal = 0
    var actions: [OpenAction]
    var others: [OtherAction]
    /// The signed decisions, each a link to its PDF document.
    var decisions: [DecisionLink] = []
    var urges: [UrgeLine] = []
    /// 风险评级 with its reasons and changes (RiskPanel); nil for vendors.
    var risk: RiskPanel?
    /// 查重 (R-REV-3): side by side for BDB's review, a warning for the unit before it declares.
    var similar: SimilarPanel?
    /// 绩效目标 and 绩效评价 (R-GOAL-1, R-GOAL-2).
    var performance: PerformancePanel?

    // What the template asks rather than computes.
    var hasActions: Bool { !actions.isEmpty }
    var hasOthers: Bool { !others.isEmpty }
    var hasDocuments: Bool { !documents.isEmpty }
    var mayUpload: Bool { !uploadKinds.isEmpty }
    var auditPages: Int { max(1, (auditTotal + Self.auditPerPage - 1) / Self.auditPerPage) }
    var auditHeading: String {
        "审计记录(共\(auditTotal)条,最近在前" + (auditTotal <= Self.auditPerPage ? "" : ",第\(auditPage)/\(auditPages)页") + ")"
    }
    /// Open when the caller asked for an older page of it.
    var auditOpen: Bool { auditPage > 1 }
    var auditNewerHref: String? { auditPage > 1 ? "\(path)?auditPage=\(min(auditPage - 1, auditPages))#audit-heading" : nil }
    var auditOlderHref: String? { auditPage < auditPages ? "\(path)?auditPage=\(auditPage + 1)#audit-heading" : nil }

    private enum CodingKeys: String, CodingKey {
        case id, path, code, name, stage, facts, money, documents, uploadKinds, sharingParts, timeline, sharing, audit, showAudit
        case similar
        case auditPage, auditTotal, actions, others, decisions, hasDecisions, urges, hasUrges, risk, performance
        case hasActions, hasOthers, hasDocuments, mayUpload, auditHeading, auditOpen, hasAuditPager, auditNewerHref, auditOlderHref
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id.uuidString, forKey: .id)
        try c.encode(path, forKey: .path)
        try c.encode(code, forKey: .code)
        try c.encode(name, forKey: .name)
        try c.encode(stage, forKey: .stage)
        try c.encode(facts, forKey: .facts)
        try c.encode(money, forKey: .money)
        try c.encode(documents, forKey: .documents)
        try c.encode(uploadKinds, forKey: .uploadKinds)
        try c.encode(sharingParts, forKey: .sharingParts)
        try c.encode(timeline, forKey: .timeline)
        try c.encode(sharing, forKey: .sharing)
        try c.encode(audit, forKey: .audit)
        try c.encode(showAudit, forKey: .showAudit)
        try c.encode(auditPage, forKey: .auditPage)
        try c.encode(auditTotal, forKey: .auditTotal)
        try c.encode(actions, forKey: .actions)
        try c.encode(others, forKey: .others)
        try c.encode(decisions, forKey: .decisions)
        try c.encode(!decisions.isEmpty, forKey: .hasDecisions)
        try c.encode(urges, forKey: .urges)
        try c.encode(!urges.isEmpty, forKey: .hasUrges)
        try c.encodeIfPresent(risk, forKey: .risk)
        try c.encodeIfPresent(similar, forKey: .similar)
        try c.encodeIfPresent(performance, forKey: .performance)
        try c.encode(hasActions, forKey: .hasActions)
        try c.encode(hasOthers, forKey: .hasOthers)
        try c.encode(hasDocuments, forKey: .hasDocuments)
        try c.encode(mayUpload, forKey: .mayUpload)
        try c.encode(auditHeading, forKey: .auditHeading)
        try c.encode(auditOpen, forKey: .auditOpen)
        try c.encode(auditNewerHref != nil || auditOlderHref != nil, forKey: .hasAuditPager)
        try c.encodeIfPresent(auditNewerHref, forKey: .auditNewerHref)
        try c.encodeIfPresent(auditOlderHref, forKey: .auditOlderHref)
    }

    /// A submitted form to show again: which action, what was typed, what was refused.
    struct Submission {
        var action: String
        var values: [String: String]
        var violations: [Violation]
    }

    static func load(_ record: ProjectRecord, for actor: Actor, _ req: Request, submission: Submission? = nil) async throws
        -> ProjectPageModel
    {
        let now = req.now
        let today = now.beijingDate
        let policy = try await PolicyStore.book(on: req.db).governing(record, today: today)
        let ctx = DecisionContext(actor: actor, now: now, policy: policy)
        let organisations = try await Organisations.all(on: req.db)
        let unit = organisations.first { $0.id == record.unitId }
        let similar = try await SimilarPanel.of(record, for: actor, req)
        var choices = try await choices(record, actor: actor, today: today, organisations: organisations, req)
        (choices.similar, choices.similarRestricted) = (similar?.considered ?? [], similar?.hasRestricted ?? false)
        var actions: [OpenAction] = []
        var others: [OtherAction] = []
        for a in Lifecycle.availableActions(record, ctx) where a.action != AttachDocument.spec.name {
            guard a.allowedForCaller else {
                others.append(
                    OtherAction(
                        title: a.title, who: a.actors.compactMap { OrganisationType(rawValue: $0)?.chinese }.joined(separator: "、"),
                        article: a.article))
                continue
            }
            let mine = submission?.action == a.action ? submission : nil
            let form = ActionForm.of(a.action, title: a.title, choices: choices, values: mine?.values, errors: mine?.violations ?? [])
            // Input errors stand beside their field; everything else (and an error on no field of the form) at the top.
            let shownBeside = Set(form.fields.filter { $0.error != nil }.map(\.name))
            let refusal = mine?.violations.filter { !$0.isInputError || !shownBeside.contains(ActionForm.fieldName($0.field ?? "")) } ?? []
            actions.append(
                OpenAction(
                    form: form, rule: a.rule, article: a.article, unmet: a.unmetConditions, hasUnmet: !a.unmetConditions.isEmpty,
                    unmetCount: a.unmetConditions.count,
                    refusal: refusal, hasRefusal: !refusal.isEmpty, submitted: mine != nil,
                    confirm: confirmation(a.action), help: ActionHelp.of(a.action, record, policy)))
            actions[actions.count - 1].warnsSimilar =
                similar?.warning == true && [Declare.spec.name, Resubmit.spec.name].contains(a.action)
        }
        let mayUpload =
            Lifecycle.forbiddenReason(AttachDocument.spec, actor, on: record) == nil && AttachDocument.spec.stages.contains(record.stage)
        let showAudit = actor.organisationType != .vendor
        let auditPaging = try PageRequest.parse(
            page: req.query[String.self, at: "auditPage"], per: nil, defaultPer: auditPerPage, maxPer: auditPerPage)
        let audit = showAudit ? try await auditLines(record.id, auditPaging, req) : (lines: [], total: 0)
        let tier = record.tier(policy)
        let approved = record.approvedBudget
        let remaining = approved.flatMap { $0.subtracting(record.totalDisbursed) }
        var model = ProjectPageModel(
            id: record.id, path: "/projects/\(record.id.uuidString)", code: record.code, name: record.name, stage: record.stage.chinese,
            facts: [
                Fact(label: "项目编号", value: record.code), Fact(label: "项目名称", value: record.name),
                Fact(label: "项目单位", value: unit?.name ?? "—"), Fact(label: "项目类别", value: record.category.chinese),
                Fact(label: "审批分类", value: tier.chinese(policy)), Fact(label: "项目来源", value: record.source.chinese),
                Fact(label: "计划年度", value: "\(record.planYear)年"), Fact(label: "涉密", value: record.classified ? "是(涉密项目,仅授权人员可见)" : "否"),
                Fact(label: "当前阶段", value: record.stage.chinese), Fact(label: "适用办法版本", value: policy.title),
            ],
            money: [
                Money(label: "总投资", value: record.totalInvestment.yuanText), Money(label: "批复概算", value: approved?.yuanText ?? "尚未批复"),
                Money(label: "已下达资金计划", value: record.totalFundPlans.yuanText), Money(label: "已拨付", value: record.totalDisbursed.yuanText),
                Money(label: "批复概算未拨付", value: remaining?.yuanText ?? "—"),
            ],
            documents: record.documents.map { d in
                Document(
                    number: d.number, kind: d.kind.chinese, filename: d.filename, size: byteSize(d.sizeBytes),
                    uploadedAt: beijing(d.uploadedAt),
                    href: "/projects/\(record.id.uuidString)/documents/\(d.number)")
            },
            uploadKinds: mayUpload
                ? DocumentKind.allCases.filter { $0.isSupplied(by: actor.organisationType) }.map {
                    FormOption(value: $0.rawValue, label: $0.chinese)
                }
                : [],
            sharingParts: SharingChapterPart.allCases.map { FormOption(value: $0.rawValue, label: $0.chinese) },
            timeline: TimelineLayout.of(ProjectTimeline.of(record, policy: policy, today: today), title: "「\(record.name)」时间线"),
            sharing: sharingFacts(SharingFigures.of(record)),
            audit: audit.lines, showAudit: showAudit, auditPage: auditPaging.page, auditTotal: audit.total, actions: actions, others: others
        )
        model.decisions = try await DecisionLink.of(record.id, req)
        model.urges = Self.urgeLines(record, organisations: organisations, today: today)
        model.risk = try await RiskPanel.of(record.id, for: actor, req)
        model.similar = similar
        try await PerformancePanel.attach(to: &model, record, for: actor, organisations: organisations, req)
        return model
    }

    /// Newest first; an unanswered one past its answer date is marked late.
    static func urgeLines(_ record: ProjectRecord, organisations: [Organisations.Row], today: CivilDate) -> [UrgeLine] {
        record.supervision.urges.reversed().map { u in
            let late = u.answer == nil && u.answerBy.map { today > $0 } == true
            return UrgeLine(
                number: u.number, agency: organisations.first { $0.id == u.agencyOrganisationId }?.name ?? u.agency.chinese,
                matter: u.matter, message: u.message, urgedOn: u.urgedOn.chinese, answerBy: u.answerBy?.chinese,
                status: u.answer != nil ? "已答复" : (late ? "已逾期未答复" : "待答复"), late: late, answer: u.answer?.text,
                answeredOn: u.answer?.answeredOn.chinese)
        }
    }

    static func choices(_ record: ProjectRecord, actor: Actor, today: CivilDate, organisations: [Organisations.Row], _ req: Request)
        async throws -> FormChoices
    {
        let vendors = organisations.filter { $0.type == OrganisationType.vendor.rawValue }
        // 涉密 (第十七条): the users a unit may name, by name and organisation, rather than by id: business
        // accounts of the organisations that see the project once their user is named (ClassifiedGrantee).
        var users: [FormOption] = []
        if record.classified && Lifecycle.forbiddenReason(GrantClassifiedAccess.spec, actor, on: record) == nil {
            let names = Dictionary(organisations.map { ($0.id, $0.name) }) { a, _ in a }
            let types = Dictionary(organisations.map { ($0.id, $0.type) }) { a, _ in a }
            users = try await UserModel.query(on: req.db).filter(\.$active == true).sort(\.$displayName).all().compactMap { u in
                guard let id = u.id, !record.classifiedAccess.contains(id), ClassifiedGrantee.isBusinessAccount(u),
                    let type = types[u.$organisation.id].flatMap(OrganisationType.init(rawValue:)),
                    ClassifiedGrantee.seesOnceNamed(record, userId: id, organisationId: u.$organisation.id, type: type)
                else { return nil }
                return FormOption(value: id.uuidString, label: "\(u.displayName)(\(names[u.$organisation.id] ?? ""))")
            }
        }
        return FormChoices(
            record: record, vendors: vendors.map { FormOption(value: $0.id.uuidString, label: $0.name) },
            users: users, today: today)
    }

    /// Sanctions and terminations ask before they are sent.
    static func confirmation(_ action: String) -> String? {
        ["apply-sanction": "确认实施处理措施?", "withdraw": "确认撤回项目?", "refer-for-accountability": "确认移送追责?"][action]
    }

    static let auditPerPage = 50

    /// A page of the project's audit entries, newest first, read in order from (project_id, seq),
    /// only the columns the page shows (read by position: Fluent fills every column of every entry
    /// by reflection, a cost every project page paid); and how many entries there are, counted on that index.
    static func auditLines(_ id: UUID, _ paging: PageRequest, _ req: Request) async throws -> (lines: [AuditLine], total: Int) {
        let total =
            try await PlainRows.all(SQLQueryString("SELECT COUNT(*) FROM audit_entries WHERE project_id = \(bind: id)"), on: req.db)
            .first?.int(0) ?? 0
        let query: SQLQueryString =
            "SELECT at, actor_name, action, result, summary FROM audit_entries WHERE project_id = \(bind: id) ORDER BY seq DESC"
            + paging.sqlLimit
        let lines = try await PlainRows.all(query, on: req.db).map { row in
            let (stored, action) = (try row.text(3), try row.text(2))
            let result = ["accepted": "已办理", "refused": "被拒绝", "forbidden": "无权办理"][stored] ?? stored
            let title = action == "create" ? "新建项目" : (Lifecycle.rule(named: action)?.spec.title ?? action)
            return AuditLine(
                at: beijing(Instant(secondsSinceEpoch: try row.int64(0))),
                actor: try row.text(1), action: title, result: result,
                refused: stored != "accepted", summary: AuditConfidentiality.opened(try row.text(4)))
        }
        return (lines, total)
    }

    static func sharingFacts(_ f: SharingFigures) -> [Fact] {
        func ratio(_ bp: Int?) -> String { bp.map { "\($0 / 100).\(String(format: "%02d", $0 % 100))%" } ?? "—" }
        return [
            Fact(label: "目录条目", value: "\(f.entries)"), Fact(label: "无条件共享", value: "\(f.unconditional)"),
            Fact(label: "有条件共享", value: "\(f.conditional)"), Fact(label: "不予共享", value: "\(f.notShared)"),
            Fact(label: "共享比例", value: ratio(f.sharingRatioBasisPoints)), Fact(label: "已登记条目", value: "\(f.registeredEntries)"),
            Fact(label: "使用反馈", value: "\(f.feedbackCount)"),
        ]
    }

    /// "2026-03-02 10:05" in Beijing time.
    static func beijing(_ instant: Instant) -> String {
        let seconds = (instant.secondsSinceEpoch + Instant.beijingOffsetSeconds) % 86_400
        let s = seconds < 0 ? seconds + 86_400 : seconds
        return "\(instant.beijingDate) \(String(format: "%02d:%02d", s / 3600, s % 3600 / 60))"
    }

    static func byteSize(_ bytes: Int64) -> String {
        bytes < 1024
            ? "\(bytes) B" : (bytes < 1_048_576 ? "\(bytes / 1024) KB" : "\(bytes / 1_048_576).\(bytes % 1_048_576 * 10 / 1_048_576) MB")
    }
}
