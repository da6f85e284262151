import ZhengxinCore

/// Request bodies of the security actions (R-SEC-1, R-SEC-2; 第三十二条, 第三十三条), in PayloadSchemas' notation.
enum SecuritySchemas {
    static let actions: [String: String] = [
        "record-graded-protection": "level:int filingNumber:string filedOn:date",
        "record-security-assessment": "#SecurityAssessmentInput",
        "record-crypto-plan": "designDocumentNumber:int summary:string",
        "record-crypto-built": "on:date summary:string",
        "record-crypto-running": "on:date summary:string",
        "record-crypto-assessment": "#SecurityAssessmentInput",
    ]
    static let components: [String: String] = [
        "SecurityAssessmentInput": "assessedOn:date result:enum:AssessmentResult body:string ?reportNumber:string"
    ]
    static let enums: [String: [String]] = [
        "AssessmentResult": AssessmentResult.allCases.map(\.rawValue)
    ]
}
