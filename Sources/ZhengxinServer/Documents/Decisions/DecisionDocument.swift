import Foundation
import ZhengxinCore
import ZhengxinCrypto

/// A signed decision as an official document reads (第十条: the 批复文件 is the main basis of
/// implementation): who issues it, its 文号, to whom, what it decides and on which article, and how
/// to check it. Everything shown comes from the signed canonical bytes, never from the project as
/// it is now, so the paper says exactly what was signed.
struct DecisionDocument: Sendable, Encodable {
    struct Fact: Sendable, Encodable {
        var label: String
        var value: String
    }

    var agency: String
    var documentNumber: String
    var title: String
    var addressee: String
    /// The signing day in Beijing, "2027年3月15日".
    var date: String
    var signedAt: String
    var projectName: String
    var projectCode: String
    var actionTitle: String
    var facts: [Fact]
    var summary: String
    /// "第十一条 (R-FUND-1): 项目审批部门根据……", the article the decision rests on.
    var articles: [String]
    var keyFingerprint: String
    /// SM3 of the DER SM2 signature: what a reader compares with the verification page.
    var signatureDigest: String
    var verifyURL: String

    struct Unreadable: Error {}

    /// `document`: the canonical JSON exactly as signed (opened if sealed at rest).
    init(
        document: String, signature: String, decisionId: UUID, agency: String, addressee: String, verifyURL: String
    ) throws {
        guard let signed = (try? JSONSerialization.jsonObject(with: Data(document.utf8))) as? [String: Any] else { throw Unreadable() }
        let action = signed["action"] as? String ?? ""
        let spec = Lifecycle.rule(named: action)?.spec
        let decision = signed["decision"] as? [String: Any] ?? [:]
        let at = (signed["at"] as? NSNumber)?.int64Value ?? 0
        let day = Instant(secondsSinceEpoch: at).beijingDate
        self.agency = agency
        self.addressee = addressee
        self.projectName = signed["projectName"] as? String ?? ""
        self.projectCode = signed["projectCode"] as? String ?? ""
        self.actionTitle = spec?.title ?? action
        // The decision's own 文号 when it carries one (批复, 资金计划); otherwise one derived from the
        // audit entry it belongs to: the agency's 决 series, the signing year and the audit sequence
        // number, unique and the same every time the document is drawn.
        let facts = Self.facts(of: decision)
        let own = facts.first { $0.label == "文号" && !$0.value.isEmpty }?.value
        self.documentNumber = own ?? "政信决〔\(day.year)〕\((signed["auditSeq"] as? NSNumber)?.int64Value ?? 0)号"
        self.title = "关于\(projectName)\(actionTitle)的决定"
        self.date = "\(day.year)年\(day.month)月\(day.day)日"
        self.signedAt = SigningTime.text(at)
        self.facts = facts.filter { $0.label != "文号" }
        self.summary = signed["summary"] as? String ?? ""
        self.articles =
            spec.map { spec in
                ["\(spec.article)(\(spec.rule)): " + (ActionGuidance.for(action: action)?.articleText ?? spec.title)]
            } ?? []
        self.keyFingerprint = signed["keyFingerprint"] as? String ?? ""
        self.signatureDigest = SM3.hex(Data(base64Encoded: signature) ?? Data())
        self.verifyURL = verifyURL
    }

    /// What the decision changed, as the paper lists it: the signed `decision` is the record's diff
    /// (`{"fundPlans":{"added":[{…}]}, "approvedBudget":{"from":…,"to":…}}`), so the added entries'
    /// fields and each changed value's new value, in a stable order, with Chinese labels; amounts (fen
    /// in the record) in 元 with two decimals.
    static func facts(of decision: [String: Any]) -> [Fact] {
        var facts: [Fact] = []
        for key in decision.keys.sorted() where !hidden.contains(key) {
            let change = decision[key]
            if let added = (change as? [String: Any])?["added"] as? [[String: Any]] {
                for entry in added {
                    for field in entry.keys.sorted() where !hidden.contains(field) {
                        if let fact = fact(field, entry[field]) { facts.append(fact) }
                    }
                }
            } else if let changed = change as? [String: Any], changed.keys.contains("to") {
                if let fact = fact(key, changed["to"]) { facts.append(fact) }
            } else if let fact = fact(key, change) {
                facts.append(fact)
            }
        }
        return facts
    }

    /// Fields the paper does not repeat: the 文号 stands in the heading, the stage and an entry's
    /// running number are the record's bookkeeping.
    static let hidden: Set<String> = ["stage", "number", "version"]

    /// The record's field names where they differ from the forms' (FormVocabulary).
    static let labels: [String: String] = [
        "amount": "金额", "approvedAmount": "批复金额", "approvedBudget": "批复概算", "documentNumber": "文号", "issuedOn": "下达日期",
        "paidOn": "拨付日期", "voucherNumber": "凭证号", "approvedOn": "批复日期", "kind": "批复文件类别", "measure": "处理措施",
    ]

    static func fact(_ key: String, _ value: Any?) -> Fact? {
        let label = (labels[key] ?? FormVocabulary.labels[key] ?? key).replacingOccurrences(of: "(元)", with: "")
        let money = key.hasSuffix("Fen") || key == "amount" || key.hasSuffix("Amount") || key.hasSuffix("Budget")
        switch value {
        case let flag as Bool where type(of: value!) == Bool.self: return Fact(label: label, value: flag ? "是" : "否")
        case let number as NSNumber where money: return Fact(label: label, value: Fen(number.int64Value).yuanText)
        case let number as NSNumber: return Fact(label: label, value: number.stringValue)
        case let text as String: return Fact(label: label, value: text)
        default: return nil
        }
    }
}
