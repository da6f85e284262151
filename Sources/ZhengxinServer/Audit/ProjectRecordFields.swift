import Foundation
import ZhengxinCore

/// One top-level field of `ProjectRecord`, as the audit diff sees it: equal or not by the field's own
/// `==`, and encoded only when it changed. A test holds the table to the record's stored properties
/// (Mirror), so a field added to the record cannot go unaudited.
struct ProjectRecordField: Sendable {
    /// What changed in this field: its JSON before and after (`null` where absent); for a list that
    /// only grew, `{"count":n}` before and `{"added":[…]}` after; for the sharing record (`lists`), the
    /// same for each of its lists that changed, under their keys. nil when the field is unchanged.
    typealias Change = (before: String, after: String)

    let key: String
    let change: @Sendable (ProjectRecord?, ProjectRecord?, JSONEncoder) -> Change?

    /// A field whose absence (a nil optional, or no record at all) is JSON `null`.
    static func value<T: Encodable & Equatable & Sendable>(_ key: String, _ read: @escaping @Sendable (ProjectRecord) -> T?)
        -> ProjectRecordField
    {
        ProjectRecordField(key: key) { before, after, encoder in
            let old = before.flatMap(read), new = after.flatMap(read)
            if old == new { return nil }
            return (encode(old, encoder), encode(new, encoder))
        }
    }

    /// A scalar field, written without JSONEncoder (chosen over `value` above by overload resolution).
    static func value<T: AuditJSONScalar>(_ key: String, _ read: @escaping @Sendable (ProjectRecord) -> T?) -> ProjectRecordField {
        ProjectRecordField(key: key) { before, after, _ in
            let old = before.flatMap(read), new = after.flatMap(read)
            if old == new { return nil }
            return (old?.auditJSON ?? "null", new?.auditJSON ?? "null")
        }
    }

    /// A list: when the new one is the old one with items appended, only the additions are recorded.
    static func list<E: Encodable & Equatable & Sendable>(_ key: String, _ read: @escaping @Sendable (ProjectRecord) -> [E])
        -> ProjectRecordField
    {
        ProjectRecordField(key: key) { before, after, encoder in
            let old = before.map(read), new = after.map(read)
            if old == new { return nil }
            if let old, let new, new.count > old.count, new.starts(with: old) {
                return ("{\"count\":\(old.count)}", "{\"added\":" + encode(Array(new[old.count...]), encoder) + "}")
            }
            return (encodeList(old, encoder), encodeList(new, encoder))
        }
    }

    /// A record made of lists (the sharing record: catalog entries, usage feedback), each diffed as `list`
    /// does under the field's key: one feedback added to years of them records that one, not the whole
    /// record twice (writing both out was a tenth of a feedback action's CPU). `parts` name every stored
    /// property of the record (a test holds them to it). A record created or removed is the whole value against null.
    static func lists<T: Encodable & Equatable & Sendable>(
        _ key: String, _ read: @escaping @Sendable (ProjectRecord) -> T, _ parts: [ProjectRecordField]
    ) -> ProjectRecordField {
        let whole = value(key) { read($0) }
        return ProjectRecordField(key: key) { before, after, encoder in
            guard let before, let after else { return whole.change(before, after, encoder) }
            return read(before) == read(after) ? nil : changes(of: parts, before, after, encoder)
        }
    }

    /// The changes of `fields` as one JSON object on each side, in the fields' order (`{}` when none changed).
    static func changes(of fields: [ProjectRecordField], _ before: ProjectRecord?, _ after: ProjectRecord?, _ encoder: JSONEncoder)
        -> Change
    {
        var old = "{", new = "{", first = true
        for field in fields {
            guard let change = field.change(before, after, encoder) else { continue }
            if !first { old += ","; new += "," }
            first = false
            old += "\"\(field.key)\":" + change.before
            new += "\"\(field.key)\":" + change.after
        }
        return (old + "}", new + "}")
    }

    /// A list; an empty one (most lists of a new project) without the encoder.
    static func encodeList<E: Encodable>(_ list: [E]?, _ encoder: JSONEncoder) -> String {
        list?.isEmpty == true ? "[]" : encode(list, encoder)
    }

    static func encode<T: Encodable>(_ value: T?, _ encoder: JSONEncoder) -> String {
        guard let value, let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension ProjectRecordField {
    /// Every stored property of the record, in key order (the order the diff writes them).
    static let all: [ProjectRecordField] = [
        value("acceptanceApplication") { $0.acceptanceApplication },
        value("acceptanceReportFiling") { $0.acceptanceReportFiling },
        list("acceptanceSignOffs") { $0.acceptanceSignOffs },
        value("acceptedOn") { $0.acceptedOn },
        value("annualPlan") { $0.annualPlan },
        list("approvals") { $0.approvals },
        value("approvedBudget") { $0.approvedBudget },
        value("catalogRegistration") { $0.catalogRegistration },
        value("category") { $0.category },
        list("changes") { $0.changes },
        value("classified") { $0.classified },
        list("classifiedAccess") { $0.classifiedAccess },
        value("code") { $0.code },
        value("completedOn") { $0.completedOn },
        list("confidentialityAgreements") { $0.confidentialityAgreements },
        list("constructionContracts") { $0.constructionContracts },
        value("constructionStartedOn") { $0.constructionStartedOn },
        value("content") { $0.content },
        value("createdOn") { $0.createdOn },
        value("declarationException") { $0.declarationException },
        value("declaredAt") { $0.declaredAt },
        list("delayReports") { $0.delayReports },
        list("disbursements") { $0.disbursements },
        list("documents") { $0.documents },
        list("fundPlans") { $0.fundPlans },
        value("fundingHold") { $0.fundingHold },
        value("goals") { $0.goals },
        value("id") { $0.id },
        list("incidents") { $0.incidents },
        value("jurisdiction") { $0.jurisdiction },
        value("majorProject") { $0.majorProject },
        value("name") { $0.name },
        value("nationalCode") { $0.nationalCode },
        value("operations") { $0.operations },
        value("ownInfrastructure") { $0.ownInfrastructure },
        value("performanceGoals") { $0.performanceGoals },
        value("planYear") { $0.planYear },
        value("policyId") { $0.policyId },
        value("preliminaryAcceptance") { $0.preliminaryAcceptance },
        list("procurements") { $0.procurements },
        value("productSecurityReview") { $0.productSecurityReview },
        value("reservePoolEntry") { $0.reservePoolEntry },
        // Personal data (第四十条, PIPL): the contact phone is masked in the audit record.
        value("responsibility") {
            $0.responsibility.map { r in
                var masked = r; masked.contactPhone = PersonalData.maskPhone(r.contactPhone); return masked
            }
        },
        list("reviewOpinions") { $0.reviewOpinions },
        value("security") { $0.security },
        lists("sharing", { $0.sharing }, sharingParts),
        value("simpleContentRequested") { $0.simpleContentRequested },
        value("simpleContentRuling") { $0.simpleContentRuling },
        value("source") { $0.source },
        value("stage") { $0.stage },
        value("stageBeforeSuspension") { $0.stageBeforeSuspension },
        value("supervision") { $0.supervision },
        list("supervisionContracts") { $0.supervisionContracts },
        value("surplus") { $0.surplus },
        value("totalInvestment") { $0.totalInvestment },
        value("trialRun") { $0.trialRun },
        value("unitId") { $0.unitId },
    ]

    /// The sharing record's lists, in key order.
    static let sharingParts: [ProjectRecordField] = [
        list("entries") { $0.sharing.entries },
        list("feedback") { $0.sharing.feedback },
    ]
}
