/// 第六条: where a project comes from (R-GEN-1).
public enum ProjectSource: String, Codable, Sendable, CaseIterable {
    case superiorRequirement  // 上级政府明确要求
    case municipalDecision  // 市政府研究决定
    case unitDeclaration  // 项目单位按程序申报

    public var chinese: String {
        switch self {
        case .superiorRequirement: return "上级政府明确要求"
        case .municipalDecision: return "市政府研究决定"
        case .unitDeclaration: return "项目单位按程序申报"
        }
    }
}

/// 第二条: the kinds of system the Measures cover.
public enum ProjectCategory: String, Codable, Sendable, CaseIterable {
    case network  // 电子政务网络
    case businessSystem  // 政务业务信息系统
    case resourceDatabase  // 政务信息资源库
    case securityInfrastructure  // 政务信息安全基础设施
    case infrastructure  // 电子政务基础设施 (政务云、数据中心、机房等)
    case standards  // 电子政务标准体系
    case supportingSystem  // 相关支撑体系

    public var chinese: String {
        switch self {
        case .network: return "电子政务网络"
        case .businessSystem: return "政务业务信息系统"
        case .resourceDatabase: return "政务信息资源库"
        case .securityInfrastructure: return "政务信息安全基础设施"
        case .infrastructure: return "电子政务基础设施"
        case .standards: return "电子政务标准体系"
        case .supportingSystem: return "相关支撑体系"
        }
    }
}

/// 第二十七条: a project that builds its own machine room, network, storage or compute instead of
/// the city government cloud must justify it and say how it will share and coordinate (R-REV-2).
public struct OwnInfrastructure: Codable, Sendable, Hashable {
    public var items: [String]  // e.g. ["机房", "存储"]
    public var justification: String
    public var sharingPlan: String

    public init(items: [String], justification: String, sharingPlan: String) {
        self.items = items
        self.justification = justification
        self.sharingPlan = sharingPlan
    }
}

/// 第九条: the approval tier follows the total investment, exact in fen.
public enum Tier: Int, Codable, Sendable, Comparable, CaseIterable {
    case one = 1, two = 2, three = 3

    public static func of(_ total: Fen, policy: Policy) -> Tier {
        if total < policy.tier2Threshold { return .one }
        if total < policy.tier3Threshold { return .two }
        return .three
    }

    public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }

    /// "二类": the tier alone, where projects judged under different versions stand side by side.
    public var name: String {
        switch self {
        case .one: return "一类"
        case .two: return "二类"
        case .three: return "三类"
        }
    }

    /// "二类(1000万元至5000万元)": the tier with the limits of the version that judged it (R-POL-1),
    /// so a county project shows its county's limits, not the city's.
    public func chinese(_ policy: Policy) -> String {
        switch self {
        case .one: return "一类(\(policy.tier2Threshold.wanText)以下)"
        case .two: return "二类(\(policy.tier2Threshold.wanText)至\(policy.tier3Threshold.wanText))"
        case .three: return "三类(\(policy.tier3Threshold.wanText)及以上)"
        }
    }
}
