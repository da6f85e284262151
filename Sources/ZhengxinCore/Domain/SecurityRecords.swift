import Foundation

/// 等级保护 定级备案 (R-SEC-1, 第三十三条): the protection level (1–5) and the filing with the public
/// security organ.
public struct GradedProtection: Codable, Sendable, Hashable {
    public var level: Int
    public var filingNumber: String
    public var filedOn: CivilDate
}

public enum AssessmentResult: String, Codable, Sendable, CaseIterable {
    case pass  // 符合 / 通过
    case fail  // 不符合 / 未通过

    public var chinese: String { self == .pass ? "通过" : "未通过" }
}

/// One 等级测评 (R-SEC-1) or 密评 (R-SEC-2): when, the result, and who assessed.
public struct SecurityAssessment: Codable, Sendable, Hashable {
    public var number: Int
    public var assessedOn: CivilDate
    public var result: AssessmentResult
    public var body: String
    public var reportNumber: String?
}

/// 密码保障系统 同步规划 (R-SEC-2, 第三十二条): the design document that plans it.
public struct CryptoPlan: Codable, Sendable, Hashable {
    public var designDocumentNumber: Int
    public var designDocumentKind: DocumentKind
    public var summary: String
    public var recordedOn: CivilDate
}

/// 同步建设 / 同步运行 (R-SEC-2): built before acceptance, running in operation.
public struct CryptoMilestone: Codable, Sendable, Hashable {
    public var on: CivilDate
    public var summary: String
    public var recordedOn: CivilDate
}

/// 商用密码 三同步 and its assessments.
public struct CryptoRecord: Codable, Sendable, Hashable {
    public var planned: CryptoPlan?
    public var built: CryptoMilestone?
    public var running: CryptoMilestone?
    public var assessments: [SecurityAssessment] = []

    public init() {}

    enum CodingKeys: String, CodingKey { case planned, built, running, assessments }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        planned = try c.decodeIfPresent(CryptoPlan.self, forKey: .planned)
        built = try c.decodeIfPresent(CryptoMilestone.self, forKey: .built)
        running = try c.decodeIfPresent(CryptoMilestone.self, forKey: .running)
        assessments = try c.decodeIfPresent([SecurityAssessment].self, forKey: .assessments) ?? []
    }
}

/// 第三十四条: one key product (信息安全设备, 核心网络设备, 基础/系统/业务应用软件) and whether it is
/// secure and controllable; the list is part of acceptance (R-SEC-3).
public struct KeyProduct: Codable, Sendable, Hashable {
    public var procurementNumber: Int
    public var name: String
    public var productClass: ProductClass
    public var domesticIP: Bool
    public var secureAndControllable: Bool
}

/// 网络与信息安全 (第三十一条 to 第三十四条): what the project has on record for this part of the Measures.
public struct SecurityRecord: Codable, Sendable, Hashable {
    public var gradedProtection: GradedProtection?
    /// 等级测评, oldest first.
    public var assessments: [SecurityAssessment] = []
    public var crypto = CryptoRecord()
    /// R-SEC-3: the key products as reviewed for acceptance (set by record-product-security-review).
    public var keyProducts: [KeyProduct] = []

    public init() {}

    enum CodingKeys: String, CodingKey { case gradedProtection, assessments, crypto, keyProducts }

    /// Records stored before these fields existed decode as empty.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gradedProtection = try c.decodeIfPresent(GradedProtection.self, forKey: .gradedProtection)
        assessments = try c.decodeIfPresent([SecurityAssessment].self, forKey: .assessments) ?? []
        crypto = try c.decodeIfPresent(CryptoRecord.self, forKey: .crypto) ?? CryptoRecord()
        keyProducts = try c.decodeIfPresent([KeyProduct].self, forKey: .keyProducts) ?? []
    }

    /// The latest passing assessment, the one the periodic clock counts from.
    public var lastPassedAssessment: SecurityAssessment? {
        assessments.filter { $0.result == .pass }.max { $0.assessedOn < $1.assessedOn }
    }
}
