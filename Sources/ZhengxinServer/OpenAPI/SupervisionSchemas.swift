import ZhengxinCore

/// Request bodies of the supervision actions (第三十五条 to 第三十九条), in PayloadSchemas' notation.
enum SupervisionSchemas {
    static let actions: [String: String] = [
        // R-SUP-1: 监督检查 / 绩效评价 / 审计 with findings (auditScope only, and required, for 审计).
        "record-oversight":
            "kind:enum:OversightKind heldOn:date subject:string conclusion:string ?auditScope:enum:AuditScope findings:[#FindingInput]",
        "report-rectification": "findingNumber:int description:string",
        "close-finding": "findingNumber:int note:string",
        "escalate-finding": "findingNumber:int reason:string",
        // R-SUP-2: 通报批评 / 暂缓拨付建设资金 / 暂停项目建设 / 终止项目.
        "apply-sanction": "kind:enum:SanctionKind findingNumbers:[int] reason:string ?documentNumber:string",
        "lift-sanction": "sanctionNumber:int reason:string",
        // R-SUP-3: 追责移送.
        "refer-for-accountability":
            "ground:enum:ReferralGround subject:string conduct:string referredTo:string referredOn:date ?criminal:bool ?findingNumbers:[int]",
        // R-SUP-1 (第三十五条): 催办 and its answer.
        "urge-unit": "matter:string message:string ?answerBy:date",
        "answer-urge": "urgeNumber:int answer:string",
    ]
    static let components: [String: String] = [
        "FindingInput": "description:string basis:string deadline:date"
    ]
    static let enums: [String: [String]] = [
        "OversightKind": OversightKind.allCases.map(\.rawValue),
        "AuditScope": AuditScope.allCases.map(\.rawValue),
        "SanctionKind": SanctionKind.allCases.map(\.rawValue),
        "ReferralGround": ReferralGround.allCases.map(\.rawValue),
        "FindingStatus": FindingStatus.allCases.map(\.rawValue),
    ]
}
