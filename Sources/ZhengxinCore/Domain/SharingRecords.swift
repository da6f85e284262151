import Foundation

/// 信息资源共享 (第二十六条 to 第三十条): what the project has on record for this part of the Measures —
/// its 信息资源目录 (R-SHR-1) and the 共享信息使用情况反馈 received on it (R-SHR-3).
public struct SharingRecord: Codable, Sendable, Hashable {
    /// 信息资源目录: every entry ever recorded, withdrawn ones included (their codes stay taken).
    public var entries: [CatalogEntry] = []
    /// 共享信息使用情况反馈 (第二十八条), numbered from 1.
    public var feedback: [UsageFeedback] = []

    public init() {}

    /// Entries in force: not withdrawn.
    public var activeEntries: [CatalogEntry] { entries.filter { $0.withdrawal == nil } }

    public func entry(code: String) -> CatalogEntry? { entries.first { $0.code == code } }

    enum CodingKeys: String, CodingKey { case entries, feedback }

    // Records stored before the catalog existed have `"sharing": {}`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entries = try c.decodeIfPresent([CatalogEntry].self, forKey: .entries) ?? []
        feedback = try c.decodeIfPresent([UsageFeedback].self, forKey: .feedback) ?? []
    }
}

/// 共享类型 (第二十七条: 以共享为原则,不共享为例外).
public enum SharingType: String, Codable, Sendable, CaseIterable {
    case unconditional  // 无条件共享
    case conditional  // 有条件共享
    case notShared  // 不予共享

    public var chinese: String {
        switch self {
        case .unconditional: return "无条件共享"
        case .conditional: return "有条件共享"
        case .notShared: return "不予共享"
        }
    }
}

/// 开放类型 (第二十八条).
public enum OpenType: String, Codable, Sendable, CaseIterable {
    case unconditional  // 无条件开放
    case conditional  // 有条件开放
    case notOpen  // 不予开放

    public var chinese: String {
        switch self {
        case .unconditional: return "无条件开放"
        case .conditional: return "有条件开放"
        case .notOpen: return "不予开放"
        }
    }
}

/// 更新周期.
public enum UpdateFrequency: String, Codable, Sendable, CaseIterable {
    case realTime, daily, weekly, monthly, quarterly, yearly, irregular

    public var chinese: String {
        switch self {
        case .realTime: return "实时"
        case .daily: return "每日"
        case .weekly: return "每周"
        case .monthly: return "每月"
        case .quarterly: return "每季度"
        case .yearly: return "每年"
        case .irregular: return "不定期"
        }
    }
}

/// 共享方式: 接口 / 文件 / 库表.
public enum SharingMethod: String, Codable, Sendable, CaseIterable {
    case api, file, table

    public var chinese: String {
        switch self {
        case .api: return "接口"
        case .file: return "文件"
        case .table: return "库表"
        }
    }
}

/// 信息项: one data item of a resource.
public struct CatalogDataItem: Codable, Sendable, Hashable {
    public var name: String
    public var dataType: String?

    public init(name: String, dataType: String? = nil) {
        self.name = name
        self.dataType = dataType
    }
}

/// The fields of a 信息资源目录 entry the unit states (R-SHR-1, 第二十六条, 第二十七条).
public struct CatalogEntryFields: Codable, Sendable, Hashable {
    public var code: String
    public var name: String
    /// 信息资源提供方.
    public var provider: String
    /// 信息资源摘要.
    public var summary: String
    /// 信息资源格式 (e.g. 数据库, 电子文件, 电子表格).
    public var format: String
    public var dataItems: [CatalogDataItem]
    public var sharingType: SharingType
    /// 共享条件 (有条件共享) or 不予共享的法律、法规或政策依据; required for both (第二十七条).
    public var sharingBasis: String?
    public var openType: OpenType
    /// 开放条件, for 有条件开放.
    public var openConditions: String?
    /// Named enterprises or organisations the resource is opened to (有条件开放 only). Exclusive
    /// opening of generally shared data is refused (R-SHR-2, 第二十八条).
    public var openTo: [String]?
    public var updateFrequency: UpdateFrequency
    public var sharingMethod: SharingMethod
    /// 涉及国家秘密和安全 (R-SHR-5, 第三十条): never exported.
    public var involvesSecrets: Bool?
}

/// One entry of the project's 信息资源目录.
public struct CatalogEntry: Codable, Sendable, Hashable {
    public var fields: CatalogEntryFields
    public var addedOn: CivilDate
    public var updatedOn: CivilDate?
    /// Set by BDB's confirmation (R-SHR-3); cleared when the entry changes, so "registered"
    /// always means the platform holds the current version.
    public var registration: EntryRegistration?
    public var withdrawal: EntryWithdrawal?

    public var code: String { fields.code }
    public var involvesSecrets: Bool { fields.involvesSecrets ?? false }
    public var isActive: Bool { withdrawal == nil }
}

/// R-SHR-3 (第二十八条): the entry is on the city exchange platform's catalog.
public struct EntryRegistration: Codable, Sendable, Hashable {
    public var platformId: String
    public var registeredOn: CivilDate
}

public struct EntryWithdrawal: Codable, Sendable, Hashable {
    public var withdrawnOn: CivilDate
    public var reason: String
}

/// 使用效果 of shared data.
public enum FeedbackOutcome: String, Codable, Sendable, CaseIterable {
    case satisfied  // 满足需求
    case partlySatisfied  // 部分满足
    case notSatisfied  // 未满足

    public var chinese: String {
        switch self {
        case .satisfied: return "满足需求"
        case .partlySatisfied: return "部分满足"
        case .notSatisfied: return "未满足"
        }
    }
}

/// 共享信息使用情况反馈 (R-SHR-3, 第二十八条).
public struct UsageFeedback: Codable, Sendable, Hashable {
    public var number: Int
    public var entryCode: String
    public var usedOn: CivilDate
    /// 使用部门.
    public var consumer: String
    public var purpose: String
    public var outcome: FeedbackOutcome
    public var comment: String?
    public var recordedOn: CivilDate
    public var recordedBy: UUID
    public var recordedByOrganisationType: OrganisationType
}
