import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// 邮件提醒 of the deadline scan: each new reminder or overdue mark addressed to the project unit is
/// also mailed to that unit's accounts that have an address (a unit sees its own projects, and only
/// them). Called inside the scan's write transaction, so mail exists exactly when the mark does.
enum ReminderMail {
    /// A 涉密 project's mail names nothing (第十七条 涉密 handling): not the project, not the matter,
    /// not its id; the link is the home page, where a reader named on the project sees it.
    static func content(
        _ r: ReminderModel, code: String, name: String, classified: Bool, base: String
    ) -> MailContent {
        if classified {
            let link = base + "/"
            return MailContent(
                subject: "【政信】有一项涉密事项需要关注",
                body: "有一项涉密事项需要您关注。详情请登录系统查看:\n\(link)\n\n(本邮件由系统自动发送)", link: link)
        }
        let link = base + "/projects/\(r.projectId.uuidString)"
        let title = DeadlineKind(rawValue: r.kind)?.chinese ?? r.kind
        let overdue = r.status == DeadlineStatus.overdue.rawValue
        let subject = "【政信】\(overdue ? "逾期" : "期限提醒"):\(title)(\(name))"
        let body = """
            \(code) \(name)
            \(title):\(ReminderModel.readable(r.message))
            期限:\(r.dueOn)
            依据:《郑州市政务信息化项目建设管理暂行办法》(郑政文〔2020〕70号)\(r.article)(\(r.rule))

            办理请登录系统:
            \(link)

            (本邮件由系统自动发送)
            """
        return MailContent(subject: subject, body: body, link: link)
    }

    /// Enqueues the mails of `reminders` on `db` (the caller's transaction).
    static func enqueue(_ reminders: [ReminderModel], base: String, at now: Int64, on db: Database) async throws {
        let toUnits = reminders.filter { $0.audience.split(separator: ",").contains(Substring(OrganisationType.unit.rawValue)) }
        guard !toUnits.isEmpty else { return }
        let recipients = Dictionary(
            grouping: try await MailAddresses.recipients(in: Set(toUnits.map(\.unitId)), on: db), by: \.orgId)
        guard !recipients.isEmpty else { return }
        let projects = try await projectNames(Set(toUnits.map(\.projectId)), on: db)
        var rows: [MailOutboxModel] = []
        for r in toUnits {
            guard let p = projects[r.projectId] else { continue }
            let people = MailAddresses.allowed(recipients[r.unitId] ?? [], toSee: (p.classified, p.access))
            guard !people.isEmpty else { continue }
            let mail = content(r, code: p.code, name: p.name, classified: p.classified, base: base)
            let kind = r.status == DeadlineStatus.overdue.rawValue ? "overdue" : "reminder"
            rows += MailOutboxModel.rows(mail, kind: kind, for: people, at: now)
        }
        try await BatchInsert.create(rows, on: db)
    }

    /// Code, name and 涉密 of each project; for a 涉密 one also who is named on it, from its record.
    private static func projectNames(_ ids: Set<UUID>, on db: Database) async throws -> [UUID: (
        code: String, name: String, classified: Bool, access: Set<UUID>
    )] {
        var found: [UUID: (code: String, name: String, classified: Bool, access: Set<UUID>)] = [:]
        for row in try await ProjectRow.all(ids, record: false, on: db) { found[row.id] = (row.code, row.name, row.classified, []) }
        for row in try await ProjectRow.all(found.filter(\.value.classified).map(\.key), on: db) {
            let record = try row.decoded()
            found[record.id]?.access = Set(record.classifiedAccess)
        }
        return found
    }
}
