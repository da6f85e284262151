import Foundation

/// 信息资源共享 (第二十六条 to 第三十条). BDB's registration of the catalog on the exchange platform
/// (R-SHR-3) is `ConfirmCatalogRegistration`, kept with acceptance, whose condition it is.
enum SharingActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(AddCatalogEntry.self), AnyActionRule(UpdateCatalogEntry.self), AnyActionRule(WithdrawCatalogEntry.self),
        AnyActionRule(RecordSharingFeedback.self),
    ]
}

/// 信息资源目录 (R-SHR-1, 第二十六条, 第二十七条; R-SHR-2, 第二十八条; R-SHR-5, 第三十条): the unit adds an entry.
/// Codes are unique within the project, withdrawn entries included.
public enum AddCatalogEntry: ProjectActionRule {
    public typealias Payload = CatalogEntryFields
    public static let spec = ActionSpec(
        "add-catalog-entry", "登记信息资源目录条目", actors: [.unit], stages: SharingRules.catalogStages,
        rule: "R-SHR-1", article: "第二十六条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.add(SharingRules.check(x))
        if c.violations.contains(where: \.isInputError) { return c.violations }
        if let existing = p.sharing.entry(code: x.code) {
            c.add(
                Violation(
                    rule: "R-SHR-1", article: "第二十六条",
                    message: "目录编码「\(x.code)」已被本项目信息资源「\(existing.fields.name)」使用\(existing.isActive ? "" : "(已撤销)"),同一项目内编码不得重复",
                    field: "code"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let f = SharingRules.normalised(x)
        p.sharing.entries.append(CatalogEntry(fields: f, addedOn: ctx.today))
        return "登记信息资源目录条目「\(f.name)」(\(f.code)): \(f.sharingType.chinese)、\(f.openType.chinese)、\(f.sharingMethod.chinese)方式共享"
            + (f.involvesSecrets == true ? ",涉及国家秘密和安全,不予导出" : "")
    }
}

/// R-SHR-1 (第二十八条: 数据实时更新): the unit updates an entry; its code stays. A registered entry
/// must be registered again (R-SHR-3).
public enum UpdateCatalogEntry: ProjectActionRule {
    public typealias Payload = CatalogEntryFields
    public static let spec = ActionSpec(
        "update-catalog-entry", "更新信息资源目录条目", actors: [.unit], stages: SharingRules.catalogStages,
        rule: "R-SHR-1", article: "第二十八条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.sharing.activeEntries.isEmpty ? [Violation(rule: "R-SHR-1", article: "第二十八条", message: "项目没有可更新的信息资源目录条目")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.add(SharingRules.check(x))
        // With no entry at all, the condition says so; a lookup error would hide it.
        if c.violations.contains(where: \.isInputError) || p.sharing.activeEntries.isEmpty { return c.violations }
        guard let entry = p.sharing.entry(code: x.code) else {
            return [.input("code", "本项目没有目录编码为「\(x.code)」的信息资源")]
        }
        c.require(entry.isActive, rule: "R-SHR-1", article: "第二十八条", "信息资源「\(entry.fields.name)」(\(x.code))已撤销,不能更新", field: "code")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let f = SharingRules.normalised(x)
        let i = p.sharing.entries.firstIndex { $0.code == x.code }!
        let wasRegistered = p.sharing.entries[i].registration != nil
        p.sharing.entries[i].fields = f
        p.sharing.entries[i].updatedOn = ctx.today
        p.sharing.entries[i].registration = nil
        return "更新信息资源目录条目「\(f.name)」(\(f.code))" + (wasRegistered ? ",须由市大数据局重新确认纳入共享交换平台" : "")
    }
}

/// R-SHR-1: the unit withdraws an entry that no longer exists; its code stays taken.
public enum WithdrawCatalogEntry: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var code: String; public var reason: String }
    public static let spec = ActionSpec(
        "withdraw-catalog-entry", "撤销信息资源目录条目", actors: [.unit], stages: SharingRules.catalogStages,
        rule: "R-SHR-1", article: "第二十八条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        UpdateCatalogEntry.conditions(p, ctx).map {
            var v = $0; v.message = "项目没有可撤销的信息资源目录条目"; return v
        }
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        if let v = Fields.text(x.reason, "reason", max: 5000) { return [v] }
        if p.sharing.activeEntries.isEmpty { return [] }
        guard let entry = p.sharing.entry(code: x.code) else { return [.input("code", "本项目没有目录编码为「\(x.code)」的信息资源")] }
        return entry.isActive
            ? [] : [Violation(rule: "R-SHR-1", article: "第二十八条", message: "信息资源「\(entry.fields.name)」(\(x.code))已撤销", field: "code")]
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let i = p.sharing.entries.firstIndex { $0.code == x.code }!
        p.sharing.entries[i].withdrawal = EntryWithdrawal(withdrawnOn: ctx.today, reason: x.reason)
        return "撤销信息资源目录条目「\(p.sharing.entries[i].fields.name)」(\(x.code)): \(x.reason)"
    }
}

/// 共享信息使用情况反馈 (R-SHR-3, 第二十八条). Recorded by the project unit, which runs the feedback
/// mechanism for its consumers, or directly by an agency (DRC, FIN, BDB) that uses the data (AUD takes no actions);
/// other units cannot see the project and report through the unit or BDB.
public enum RecordSharingFeedback: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var entryCode: String
        public var usedOn: CivilDate
        public var consumer: String
        public var purpose: String
        public var outcome: FeedbackOutcome
        public var comment: String?
    }
    public static let spec = ActionSpec(
        "record-sharing-feedback", "登记共享信息使用情况反馈", actors: [.unit, .drc, .fin, .bdb],
        stages: SharingRules.feedbackStages, rule: "R-SHR-3", article: "第二十八条")

    static func shared(_ p: ProjectRecord) -> [CatalogEntry] { p.sharing.activeEntries.filter { $0.fields.sharingType != .notShared } }

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        shared(p).isEmpty ? [Violation(rule: "R-SHR-3", article: "第二十八条", message: "项目没有共享的信息资源目录条目,无使用情况可反馈")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.consumer, "consumer", max: 200) { c.add(v) }
        if let v = Fields.text(x.purpose, "purpose", max: 5000) { c.add(v) }
        if let comment = x.comment, let v = Fields.text(comment, "comment", max: 5000), !SharingRules.blank(comment) { c.add(v) }
        if let v = Fields.notFuture(x.usedOn, "usedOn", today: ctx.today) { c.add(v) }
        if shared(p).isEmpty { return c.violations }
        guard let entry = p.sharing.entry(code: x.entryCode) else {
            c.add(.input("entryCode", "本项目没有目录编码为「\(x.entryCode)」的信息资源"))
            return c.violations
        }
        if !c.isEmpty { return c.violations }
        c.require(entry.isActive, rule: "R-SHR-3", article: "第二十八条", "信息资源「\(entry.fields.name)」已撤销", field: "entryCode")
        c.require(
            entry.fields.sharingType != .notShared, rule: "R-SHR-3", article: "第二十八条",
            "信息资源「\(entry.fields.name)」不予共享,无共享使用情况可反馈", field: "entryCode")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let trim = { (s: String) in s.trimmingCharacters(in: .whitespacesAndNewlines) }
        let comment = x.comment.map(trim).flatMap { $0.isEmpty ? nil : $0 }
        p.sharing.feedback.append(
            UsageFeedback(
                number: p.sharing.feedback.count + 1, entryCode: x.entryCode, usedOn: x.usedOn,
                consumer: trim(x.consumer), purpose: trim(x.purpose), outcome: x.outcome, comment: comment,
                recordedOn: ctx.today, recordedBy: ctx.actor.userId,
                recordedByOrganisationType: ctx.actor.organisationType))
        return "\(trim(x.consumer))反馈使用信息资源\(x.entryCode)(\(x.usedOn.chinese)): \(x.outcome.chinese)"
    }
}
