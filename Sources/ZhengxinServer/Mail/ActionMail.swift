import Fluent
import Foundation
import ZhengxinCore

/// 邮件提醒 of accepted actions, written in the action's transaction (ProjectActionRunner.store):
/// a 催办 reaches the unit's accounts, the unit's answer the urging agency's, and a decision the
/// Measures make a document of (技术审查意见, 批复, 资金计划, 拨付, 变更批复, 竣工验收意见, 处理措施)
/// the unit's. Each recipient's MailDelivery applies.
enum ActionMail {
    /// The decisions mailed to the unit, with what the mail calls them.
    static let decisions: [String: String] = [
        "issue-review-opinion": "技术审查意见",
        "approve-document": "批复",
        "issue-fund-plan": "资金计划",
        "disburse": "拨付建设资金",
        "approve-change": "变更批复",
        "sign-off-acceptance": "竣工验收意见",
        "order-rectification": "处理措施(限期整改)",
        "apply-sanction": "处理措施",
        "lift-sanction": "解除处理措施",
    ]

    /// The urge `action` answered: unanswered in `before`, answered in `after`.
    static func answered(before: ProjectRecord, after: ProjectRecord) -> Urge? {
        let open = Set(before.supervision.unansweredUrges.map(\.number))
        return after.supervision.urges.first { open.contains($0.number) && $0.answer != nil }
    }

    /// Who an accepted `action` is mailed to, under what kind and title; nil when it is not mailed.
    static func audience(of action: String, before: ProjectRecord, after: ProjectRecord) -> (orgId: UUID, kind: String, title: String)? {
        switch action {
        case "urge-unit": return (after.unitId, "urge", "催办")
        case "answer-urge": return answered(before: before, after: after).map { ($0.agencyOrganisationId, "answer", "催办答复") }
        default: return decisions[action].map { (after.unitId, "decision", $0) }
        }
    }

    /// A 涉密 project's mail names nothing, as ReminderMail's; the link is the home page.
    static func content(
        action: String, title: String, before: ProjectRecord, record: ProjectRecord, summary: String, policy: Policy, base: String
    ) -> MailContent {
        if record.classified {
            let link = base + "/"
            return MailContent(
                subject: "【政信】有一项涉密事项需要关注",
                body: "有一项涉密事项需要您关注。详情请登录系统查看:\n\(link)\n\n(本邮件由系统自动发送)", link: link)
        }
        let anchor = action == "urge-unit" ? "#action-answer-urge" : ""
        let link = base + "/projects/\(record.id.uuidString)\(anchor)"
        var lines = ["\(record.code) \(record.name)", summary]
        if action == "urge-unit", let urge = record.supervision.urges.last {
            lines.append("催办内容:\(urge.message)")
            if let by = urge.answerBy { lines.append("答复期限:\(by.chinese)") }
        }
        if action == "answer-urge", let urge = answered(before: before, after: record) {
            lines.append("催办事项:\(urge.matter)")
            lines.append("答复:\(urge.answer?.text ?? "")")
        }
        let spec = Lifecycle.rule(named: action)?.spec
        if let spec { lines.append("依据:\(policy.title)\(spec.article)(\(spec.rule))") }
        let body = lines.joined(separator: "\n") + "\n\n办理请登录系统:\n\(link)\n\n(本邮件由系统自动发送)"
        return MailContent(subject: "【政信】\(title):\(record.name)", body: body, link: link)
    }

    /// Enqueues the mail of an accepted action on `db` (the action's transaction).
    static func enqueue(
        action: String, before: ProjectRecord, after record: ProjectRecord, summary: String, policy: Policy, base: String,
        at now: Int64, on db: Database
    ) async throws {
        guard let audience = audience(of: action, before: before, after: record) else { return }
        let recipients = MailAddresses.allowed(
            try await MailAddresses.recipients(in: [audience.orgId], on: db), toSee: (record.classified, Set(record.classifiedAccess)))
        guard !recipients.isEmpty else { return }
        let mail = content(
            action: action, title: audience.title, before: before, record: record, summary: summary, policy: policy, base: base)
        try await BatchInsert.create(MailOutboxModel.rows(mail, kind: audience.kind, for: recipients, at: now), on: db)
    }
}
