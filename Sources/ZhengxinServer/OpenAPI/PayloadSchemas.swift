import ZhengxinCore

/// Request bodies of every action, in a compact field notation turned into JSON Schema by
/// `SchemaNotation`: `name:type`, a leading `?` for optional; types are string, int, fen
/// (integer fen), bool, date (YYYY-MM-DD), uuid, enum:Name, #Component, and [type] for arrays.
enum PayloadSchemas {
    /// Every action's body: the foundation's, and each area's own table.
    static let actions: [String: String] =
        foundationActions
        .merging(OperationsSchemas.actions) { a, _ in a }
        .merging(SecuritySchemas.actions) { a, _ in a }
        .merging(SharingSchemas.actions) { a, _ in a }
        .merging(SupervisionSchemas.actions) { a, _ in a }
        .merging(PerformanceSchemas.actions) { a, _ in a }

    static let components: [String: String] =
        foundationComponents
        .merging(OperationsSchemas.components) { a, _ in a }
        .merging(SecuritySchemas.components) { a, _ in a }
        .merging(SharingSchemas.components) { a, _ in a }
        .merging(SupervisionSchemas.components) { a, _ in a }
        .merging(PerformanceSchemas.components) { a, _ in a }

    static let enums: [String: [String]] =
        foundationEnums
        .merging(OperationsSchemas.enums) { a, _ in a }
        .merging(SecuritySchemas.enums) { a, _ in a }
        .merging(SharingSchemas.enums) { a, _ in a }
        .merging(SupervisionSchemas.enums) { a, _ in a }
        .merging(PerformanceSchemas.enums) { a, _ in a }

    static let foundationActions: [String: String] = [
        "update": "#ProjectDraft",
        "declare": "",
        "record-declaration-exception": "reason:string",
        "withdraw": "reason:string",
        "grant-classified-access": "userId:uuid",
        "start-technical-review": "",
        "issue-review-opinion":
            "findings:[#CriterionFinding] conclusion:enum:ReviewConclusion comment:string ?ownInfrastructureAccepted:bool",
        "resubmit": "",
        "mark-major": "major:bool reason:string",
        "record-executive-meeting": "meetingOn:date minutesReference:string agreed:bool",
        "admit-to-reserve-pool": "approvedOn:date documentNumber:string",
        "rule-on-simple-content": "accepted:bool reason:string",
        "apply-for-approval": "",
        "approve-document": "kind:enum:DocumentKind documentNumber:string approvedOn:date approvedAmountFen:fen",
        "issue-fund-plan": "amountFen:fen documentNumber:string issuedOn:date",
        "disburse": "amountFen:fen paidOn:date voucherNumber:string",
        "record-surplus-return": "amountFen:fen returnedOn:date voucherNumber:string",
        "record-responsibility": "implementingAgency:string responsiblePerson:string contactPhone:string",
        "start-procurement": "",
        "record-procurement":
            "category:enum:ProcurementCategory method:enum:ProcurementMethod amountFen:fen supplier:string awardedOn:date items:[#ProcuredItem]",
        "record-construction-contract":
            "contractNumber:string contractor:string ?contractorOrganisationId:uuid amountFen:fen signedOn:date warrantyEnd:date clauses:[#ClauseCoverage]",
        "record-supervision-contract":
            "contractNumber:string supervisionFirm:string ?supervisionFirmOrganisationId:uuid amountFen:fen signedOn:date",
        "record-confidentiality-agreement": "party:enum:ConfidentialityParty partyName:string signedOn:date",
        "start-construction": "startedOn:date",
        "report-incident": "kind:enum:IncidentKind description:string occurredOn:date",
        "order-rectification": "incidentNumber:int requirements:string deadline:date",
        "suspend-construction": "incidentNumber:int reason:string",
        "resume-construction": "reason:string",
        "propose-change":
            "description:string reason:enum:ChangeReason newTotalFen:fen adjustedAmountFen:fen goalsUnchanged:bool ?newPerformanceIndicators:[#PerformanceIndicatorInput]",
        "acknowledge-change-filing": "changeNumber:int",
        "approve-change": "changeNumber:int documentNumber:string approvedOn:date ?newApprovedBudgetFen:fen",
        "reject-change": "changeNumber:int reason:string",
        "record-completion": "completedOn:date",
        "record-preliminary-acceptance": "heldOn:date passed:bool notes:string",
        "extend-trial-run": "newEnd:date reason:string",
        "file-delay-report": "reasons:string plannedAcceptanceOn:date",
        "confirm-catalog-registration": "#CatalogRegistrationRequest",
        "record-product-security-review": "reviewedOn:date conclusion:string",
        "apply-for-acceptance": "",
        "sign-off-acceptance": "passed:bool opinion:string signedOn:date",
        "file-acceptance-report": "documentNumber:int",
            // attach-document has no JSON form: its content comes only from an upload (DocumentBinding).
    ]

    static let foundationComponents: [String: String] = [
        "ProjectDraft":
            "name:string source:enum:ProjectSource planYear:int category:enum:ProjectCategory totalInvestmentFen:fen content:string goals:string ?classified:bool ?simpleContentRequested:bool ?ownInfrastructure:#OwnInfrastructure ?nationalCode:string ?performanceIndicators:[#PerformanceIndicatorInput]",
        "OwnInfrastructure": "items:[string] justification:string sharingPlan:string",
        "CriterionFinding":
            "criterion:enum:ReviewCriterion satisfied:bool comment:string ?consideredProjects:[uuid] ?restrictedConsidered:bool ?duplicateAssessment:string",
        "ProcuredItem": "name:string productClass:enum:ProductClass domesticIP:bool secureAndControllable:bool",
        "ClauseCoverage": "clause:enum:ContractClause covered:bool ?notApplicableReason:string",
        "LoginRequest": "username:string password:string ?totp:string",
        "AnnualPlanLineInput": "projectId:uuid plannedAmountFen:fen",
        "CompileAnnualPlan": "year:int title:string lines:[#AnnualPlanLineInput]",
        "IssueAnnualPlan": "documentNumber:string issuedOn:date",
        "Violation": "rule:string ?article:string message:string ?field:string",
        "Policy":
            "id:string title:string jurisdiction:string effectiveFrom:date tier2Threshold:fen tier3Threshold:fen executiveMeetingSuggestion:fen declarationDeadlineMonth:int declarationDeadlineDay:int changeFilingPercent:int minimumTrialRunMonths:int acceptanceWindowMonths:int maximumAmount:fen ?performanceEvaluationMonths:int ?operationsAndSecurity:#OperationsSecurityParameters",
        "OperationsSecurityParameters":
            "annualAssessmentMinimumLevel:int gradedProtectionAssessmentMonths:int cryptoAssessmentMinimumLevel:int cryptoAssessmentMonths:int operationsFeeYearsAhead:int securityRecordsBeforeAcceptance:bool",
    ]

    static let foundationEnums: [String: [String]] = [
        "ProjectSource": ProjectSource.allCases.map(\.rawValue),
        "ProjectCategory": ProjectCategory.allCases.map(\.rawValue),
        "ReviewConclusion": ["pass", "returned", "rejected"],
        "ReviewCriterion": ReviewCriterion.allCases.map(\.rawValue),
        "DocumentKind": DocumentKind.allCases.map(\.rawValue),
        "ProcurementCategory": ProcurementCategory.allCases.map(\.rawValue),
        "ProcurementMethod": ProcurementMethod.allCases.map(\.rawValue),
        "ProductClass": ProductClass.allCases.map(\.rawValue),
        "ContractClause": ContractClause.allCases.map(\.rawValue),
        "ConfidentialityParty": ConfidentialityParty.allCases.map(\.rawValue),
        "IncidentKind": IncidentKind.allCases.map(\.rawValue),
        "ChangeReason": ChangeReason.allCases.map(\.rawValue),
        "Stage": Stage.allCases.map(\.rawValue),
        "SharingChapterPart": SharingChapterPart.allCases.map(\.rawValue),
    ]
}

/// Turns the compact notation into JSON Schema objects.
enum SchemaNotation {
    static func object(_ notation: String) -> [String: Any] {
        if notation.hasPrefix("#") && !notation.contains(" ") { return ["$ref": "#/components/schemas/\(notation.dropFirst())"] }
        var properties: [String: Any] = [:]
        var required: [String] = []
        for field in notation.split(separator: " ") {
            var text = String(field)
            let optional = text.hasPrefix("?")
            if optional { text.removeFirst() }
            guard let colon = text.firstIndex(of: ":") else { continue }
            let name = String(text[..<colon])
            var schema = type(String(text[text.index(after: colon)...]))
            // An optional field may be absent or null: the server writes null for "no figure yet"
            // and its decoders read null as absent (OpenAPI 3.0 has no null type, only nullable).
            if optional && schema["type"] != nil { schema["nullable"] = true }
            properties[name] = schema
            if !optional { required.append(name) }
        }
        var schema: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    static func type(_ t: String) -> [String: Any] {
        if t.hasPrefix("[") && t.hasSuffix("]") { return ["type": "array", "items": type(String(t.dropFirst().dropLast()))] }
        if t.hasPrefix("#") { return ["$ref": "#/components/schemas/\(t.dropFirst())"] }
        if t.hasPrefix("enum:") { return ["$ref": "#/components/schemas/\(t.dropFirst(5))"] }
        switch t {
        case "int": return ["type": "integer"]
        case "fen": return ["type": "integer", "format": "int64", "minimum": 0, "description": "金额,单位: 分"]
        case "bool": return ["type": "boolean"]
        case "date": return ["type": "string", "format": "date", "description": "YYYY-MM-DD(北京时间)"]
        case "uuid": return ["type": "string", "format": "uuid"]
        default: return ["type": "string"]
        }
    }
}
