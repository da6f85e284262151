import Foundation
import Testing

@testable import ZhengxinCore

// Shared builders: actors, contexts at Beijing times, JSON bodies, and reading a Decision.

typealias JSON = [String: Any]

private func uuid(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }

/// One organisation of each type, plus a second unit. Every actor holds `.staff` unless stated.
enum Orgs {
    static let unit = uuid(101)
    static let otherUnit = uuid(102)
    static let drc = uuid(103)
    static let fin = uuid(104)
    static let bdb = uuid(105)
    static let aud = uuid(106)
    static let vendor = uuid(107)
}

func makeActor(_ type: OrganisationType, org: UUID, user: Int, roles: Set<Role> = [.staff]) -> Actor {
    Actor(userId: uuid(user), displayName: "\(type.rawValue)-\(user)", organisationId: org, organisationType: type, roles: roles)
}

enum Actors {
    static let unit = makeActor(.unit, org: Orgs.unit, user: 1)
    static let otherUnit = makeActor(.unit, org: Orgs.otherUnit, user: 2)
    static let drc = makeActor(.drc, org: Orgs.drc, user: 3)
    static let fin = makeActor(.fin, org: Orgs.fin, user: 4)
    static let bdb = makeActor(.bdb, org: Orgs.bdb, user: 5)
    static let aud = makeActor(.aud, org: Orgs.aud, user: 6)
    static let vendor = makeActor(.vendor, org: Orgs.vendor, user: 7)
    static let unitViewer = makeActor(.unit, org: Orgs.unit, user: 8, roles: [.viewer])
    static let drcSystemAdmin = makeActor(.drc, org: Orgs.drc, user: 9, roles: [.systemAdmin])

    static func of(_ type: OrganisationType) -> Actor {
        switch type {
        case .unit: return unit
        case .drc: return drc
        case .fin: return fin
        case .bdb: return bdb
        case .aud: return aud
        case .vendor: return vendor
        }
    }
}

/// A context at a Beijing wall-clock time (default 10:00) under the Zhengzhou 2020 policy.
func makeContext(
    _ actor: Actor, _ date: CivilDate, _ hour: Int = 10, _ minute: Int = 0, _ second: Int = 0,
    policy: Policy = .zhengzhou2020
) -> DecisionContext {
    DecisionContext(actor: actor, now: Instant(beijing: date, hour: hour, minute: minute, second: second), policy: policy)
}

func body(_ json: JSON) -> Data { try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) }

extension Fen { var json: Int { Int(value) } }
extension CivilDate { var json: String { description } }

struct TestFailure: Error, CustomStringConvertible { let description: String }

/// Decodes a payload from a JSON object the way the API would.
func decode<T: Decodable>(_ type: T.Type, _ json: JSON) throws -> T {
    switch PayloadDecoding.decode(T.self, from: body(json)) {
    case .success(let value): return value
    case .failure(let invalid): throw TestFailure(description: "payload does not decode: \(invalid.violations)")
    }
}

extension Decision {
    var project: ProjectRecord? { if case .accepted(let p, _) = self { return p }; return nil }
    var isAccepted: Bool { project != nil }
    var isForbidden: Bool { if case .forbidden = self { return true }; return false }
    var violations: [Violation] { if case .refused(let v) = self { return v }; return [] }
    /// The rule ids of the refusal, in order.
    var rules: [String] { violations.map(\.rule) }
    var isRefused: Bool { if case .refused = self { return true }; return false }
}

/// The dates the standard walk uses (plan year 2027).
enum Timeline {
    static let created = CivilDate(2026, 3, 2)
    static let review = CivilDate(2026, 4, 1)
    static let reserve = CivilDate(2026, 5, 10)
    static let planIssued = CivilDate(2027, 1, 10)
    static let applied = CivilDate(2027, 2, 1)
    static let approvedOn = CivilDate(2027, 3, 1)
    static let procurement = CivilDate(2027, 4, 1)
    static let construction = CivilDate(2027, 5, 1)
    static let completed = CivilDate(2028, 1, 15)
    /// completion + 6 months, the last on-time day (第二十一条).
    static let acceptanceDeadline = CivilDate(2028, 7, 15)
    static let preliminary = CivilDate(2028, 1, 20)
    /// preliminary + 3 months (第二十条).
    static let trialEnd = CivilDate(2028, 4, 20)
    static let signOff = CivilDate(2028, 4, 25)
}

/// JSON bodies that pass, for use in walks and to be varied by tests.
enum Payloads {
    static func draft(_ o: NewProject) -> JSON {
        var j: JSON = [
            "name": "智慧政务平台", "source": o.source.rawValue, "planYear": o.planYear, "category": "businessSystem",
            "totalInvestmentFen": o.total.json, "content": "建设内容", "goals": "建设目标", "classified": o.classified,
            "performanceIndicators": indicators,
        ]
        if let own = o.ownInfrastructure {
            j["ownInfrastructure"] = ["items": own.items, "justification": own.justification, "sharingPlan": own.sharingPlan]
        }
        return j
    }

    /// 绩效目标 (R-GOAL-1): one 产出, one 效益 and one 满意度 indicator, equal weights.
    static var indicators: [JSON] {
        [
            ["name": "接入部门数", "category": "quantity", "comparison": "atLeast", "target": "40", "unit": "个"],
            ["name": "办件平均时长缩短", "category": "social", "comparison": "atLeast", "target": "30", "unit": "%"],
            ["name": "服务对象满意度", "category": "serviceSatisfaction", "comparison": "atLeast", "target": "90", "unit": "%"],
        ]
    }

    static func findings(unsatisfied: Set<ReviewCriterion> = [], omit: Set<ReviewCriterion> = [], repeat extra: [ReviewCriterion] = [])
        -> [JSON]
    {
        (ReviewCriterion.allCases.filter { !omit.contains($0) } + extra).map {
            ["criterion": $0.rawValue, "satisfied": !unsatisfied.contains($0), "comment": "意见"]
        }
    }

    static func opinion(_ conclusion: ReviewConclusion = .pass, findings: [JSON] = findings(), ownInfrastructureAccepted: Bool? = nil)
        -> JSON
    {
        var j: JSON = ["findings": findings, "conclusion": conclusion.rawValue, "comment": "审查意见"]
        if let a = ownInfrastructureAccepted { j["ownInfrastructureAccepted"] = a }
        return j
    }

    static func document(
        _ kind: DocumentKind, parts: Set<SharingChapterPart> = Set(SharingChapterPart.allCases),
        evaluates: DocumentKind? = nil, opinion: Bool? = nil
    ) -> JSON {
        var j: JSON = [
            "kind": kind.rawValue, "filename": "\(kind.rawValue).pdf", "contentType": "application/pdf",
            "sizeBytes": 1024, "sha256": String(repeating: "ab", count: 32),
            "sharingChapter": parts.map(\.rawValue).sorted(),
        ]
        if let evaluates { j["evaluates"] = evaluates.rawValue }
        if let opinion { j["sharingChapterOpinion"] = opinion }
        return j
    }

    static func approval(_ kind: DocumentKind, amount: Fen, on date: CivilDate = Timeline.approvedOn, number: String = "郑发改审批〔2027〕1号")
        -> JSON
    {
        ["kind": kind.rawValue, "documentNumber": number, "approvedOn": date.json, "approvedAmountFen": amount.json]
    }

    static func procurement(
        _ category: ProcurementCategory = .works, _ method: ProcurementMethod = .publicTender,
        on date: CivilDate = Timeline.procurement
    ) -> JSON {
        [
            "category": category.rawValue, "method": method.rawValue, "amountFen": 100_000_00, "supplier": "某科技有限公司",
            "awardedOn": date.json,
            "items": [
                ["name": "业务应用系统", "productClass": "applicationSoftware", "domesticIP": true, "secureAndControllable": true],
                ["name": "服务器", "productClass": "otherHardware", "domesticIP": false, "secureAndControllable": false],
            ],
        ]
    }

    /// All twelve clauses covered, except those `missing` (left out) and `notApplicable` (reason may be blank).
    static func clauses(missing: Set<ContractClause> = [], notApplicable: [ContractClause: String] = [:]) -> [JSON] {
        ContractClause.allCases.filter { !missing.contains($0) }.map { clause in
            if let reason = notApplicable[clause] { return ["clause": clause.rawValue, "covered": false, "notApplicableReason": reason] }
            return ["clause": clause.rawValue, "covered": true]
        }
    }

    static func constructionContract(clauses: [JSON] = clauses(), on date: CivilDate = Timeline.procurement) -> JSON {
        [
            "contractNumber": "HT-2027-01", "contractor": "某科技有限公司", "contractorOrganisationId": Orgs.vendor.uuidString,
            "amountFen": 300_000_00, "signedOn": date.json, "warrantyEnd": date.addingMonths(36).json, "clauses": clauses,
        ]
    }

    static func supervisionContract(on date: CivilDate = Timeline.procurement) -> JSON {
        ["contractNumber": "JL-2027-01", "supervisionFirm": "某监理公司", "amountFen": 10_000_00, "signedOn": date.json]
    }

    static let responsibility: [String: String] = [
        "implementingAgency": "信息中心", "responsiblePerson": "张三", "contactPhone": "0371-12345678",
    ]
}
