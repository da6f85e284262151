import Foundation

/// 一级指标 of a 绩效目标 table (R-GOAL-1, 第五条), as 财政部 project-expenditure practice lays it out.
public enum IndicatorLevel: String, Codable, Sendable, CaseIterable {
    case output  // 产出指标
    case effect  // 效益指标
    case satisfaction  // 满意度指标

    public var chinese: String {
        switch self {
        case .output: return "产出指标"
        case .effect: return "效益指标"
        case .satisfaction: return "满意度指标"
        }
    }
}

/// 二级指标. Each belongs to exactly one 一级指标, so the table names only this and derives the level:
/// a row can never say 产出指标 · 社会效益指标.
public enum IndicatorCategory: String, Codable, Sendable, CaseIterable {
    case quantity  // 数量指标
    case quality  // 质量指标
    case timeliness  // 时效指标
    case cost  // 成本指标
    case social  // 社会效益指标
    case economic  // 经济效益指标
    case ecological  // 生态效益指标
    case sustainability  // 可持续影响指标
    case serviceSatisfaction  // 服务对象满意度指标

    public var level: IndicatorLevel {
        switch self {
        case .quantity, .quality, .timeliness, .cost: return .output
        case .social, .economic, .ecological, .sustainability: return .effect
        case .serviceSatisfaction: return .satisfaction
        }
    }

    public var chinese: String {
        switch self {
        case .quantity: return "数量指标"
        case .quality: return "质量指标"
        case .timeliness: return "时效指标"
        case .cost: return "成本指标"
        case .social: return "社会效益指标"
        case .economic: return "经济效益指标"
        case .ecological: return "生态效益指标"
        case .sustainability: return "可持续影响指标"
        case .serviceSatisfaction: return "服务对象满意度指标"
        }
    }
}

/// How the actual value is held against the target: 不低于, 不高于, 等于.
public enum IndicatorComparison: String, Codable, Sendable, CaseIterable {
    case atLeast
    case atMost
    case equal

    public var symbol: String {
        switch self {
        case .atLeast: return "≥"
        case .atMost: return "≤"
        case .equal: return "="
        }
    }

    public var chinese: String {
        switch self {
        case .atLeast: return "不低于"
        case .atMost: return "不高于"
        case .equal: return "等于"
        }
    }

    /// Whether `actual` meets `target`, exactly (both are integer ten-thousandths).
    public func isMet(_ actual: PerformanceFigure, target: PerformanceFigure) -> Bool {
        switch self {
        case .atLeast: return actual >= target
        case .atMost: return actual <= target
        case .equal: return actual == target
        }
    }
}

/// One row of the table as the unit types it: numbers as decimal text.
public struct PerformanceIndicatorInput: Codable, Sendable, Hashable {
    public var name: String
    public var category: IndicatorCategory
    public var comparison: IndicatorComparison
    public var target: String
    public var unit: String
    /// 分值; all rows give one or none does (then equal shares).
    public var weight: String?

    public init(
        name: String, category: IndicatorCategory, comparison: IndicatorComparison, target: String, unit: String, weight: String? = nil
    ) {
        self.name = name
        self.category = category
        self.comparison = comparison
        self.target = target
        self.unit = unit
        self.weight = weight
    }
}

/// One 三级指标 on record, numbered 1… in the order declared; its weight is always resolved.
public struct PerformanceIndicator: Codable, Sendable, Hashable {
    public var number: Int
    public var category: IndicatorCategory
    public var name: String
    public var comparison: IndicatorComparison
    public var target: PerformanceFigure
    public var unit: String
    /// 分值 (0–100, to the 0.01): typed, or the equal share.
    public var weight: PerformanceFigure

    public var level: IndicatorLevel { category.level }
    /// "≥ 95 %".
    public var targetText: String { "\(comparison.symbol) \(target.text) \(unit)" }
}

/// 绩效目标 (R-GOAL-1, 第五条): the indicator table set at declaration and fixed by approval.
public struct PerformanceGoals: Codable, Sendable, Hashable {
    public var indicators: [PerformanceIndicator]
    /// Whether the unit typed the weights (otherwise equal shares).
    public var weightsGiven: Bool

    public init(indicators: [PerformanceIndicator], weightsGiven: Bool) {
        self.indicators = indicators
        self.weightsGiven = weightsGiven
    }

    public func indicator(_ number: Int) -> PerformanceIndicator? { indicators.first { $0.number == number } }

    public func count(_ level: IndicatorLevel) -> Int { indicators.filter { $0.level == level }.count }
}
