import Foundation

/// 初步验收 (R-ACC-2, 第二十条).
public struct PreliminaryAcceptance: Codable, Sendable, Hashable {
    public var heldOn: CivilDate
    public var passed: Bool
    public var notes: String
}

/// 试运行 (R-ACC-2): at least the policy's minimum; DRC may extend it for special projects.
public struct TrialRun: Codable, Sendable, Hashable {
    public var startedOn: CivilDate
    public var minimumEnd: CivilDate
    public var extendedEnd: CivilDate?
    public var extensionReason: String?

    public var end: CivilDate { extendedEnd ?? minimumEnd }
}

/// 延期报告 (R-ACC-4, 第二十二条).
public struct DelayReport: Codable, Sendable, Hashable {
    public var number: Int
    public var reasons: String
    public var plannedAcceptanceOn: CivilDate
    public var filedOn: CivilDate
}

/// R-SHR-3 (第二十八条): BDB's confirmation that the catalog is on the city exchange platform.
public struct CatalogRegistration: Codable, Sendable, Hashable {
    public var platformId: String
    public var registeredOn: CivilDate
    public var connectedToExchangePlatform: Bool
}

/// 第三十四条: the unit's review of the secure-and-controllable status of procured products.
public struct ProductSecurityReview: Codable, Sendable, Hashable {
    public var reviewedOn: CivilDate
    public var conclusion: String
    public var keyProducts: Int
    public var secureAndControllableProducts: Int
}

/// 竣工验收申请 (R-ACC-3).
public struct AcceptanceApplication: Codable, Sendable, Hashable {
    public var appliedOn: CivilDate
    public var documentNumbers: [Int]
}

/// One agency's sign-off of final acceptance: DRC, FIN and BDB each (第二十一条).
public struct AcceptanceSignOff: Codable, Sendable, Hashable {
    public var agency: OrganisationType
    public var passed: Bool
    public var opinion: String
    public var signedOn: CivilDate
    public var signedBy: UUID
}

/// 验收报告备案 (第二十一条): the report filed with DRC, FIN and BDB.
public struct AcceptanceReportFiling: Codable, Sendable, Hashable {
    public var documentNumber: Int
    public var filedOn: CivilDate
}
