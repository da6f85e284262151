import Foundation

/// 绩效评价 grade. The Measures (第三十五条) name the evaluation but not its scale; the bands are the
/// convention of 财政部《项目支出绩效评价管理办法》(财预〔2020〕10号): 优 90分(含)以上, 良 80–90分,
/// 中 60–80分, 差 60分以下.
public enum PerformanceGrade: String, Codable, Sendable, CaseIterable {
    case excellent  // 优
    case good  // 良
    case fair  // 中
    case poor  // 差

    public var chinese: String {
        switch self {
        case .excellent: return "优"
        case .good: return "良"
        case .fair: return "中"
        case .poor: return "差"
        }
    }

    /// Exact on the 0.01: 89.99 is 良, 90 is 优; 59.99 is 差, 60 is 中.
    public static func of(_ total: PerformanceFigure) -> PerformanceGrade {
        if total >= PerformanceFigure(whole: 90) { return .excellent }
        if total >= PerformanceFigure(whole: 80) { return .good }
        if total >= PerformanceFigure(whole: 60) { return .fair }
        return .poor
    }
}

/// One indicator as evaluated: what was achieved, the score given, and on what evidence.
public struct IndicatorScore: Codable, Sendable, Hashable {
    public var indicatorNumber: Int
    public var actual: PerformanceFigure
    /// Whether `actual` meets the target by the indicator's comparison (computed, never typed).
    public var met: Bool
    /// 0 … the indicator's weight.
    public var score: PerformanceFigure
    public var evidence: String
    /// A document of the project backing the evidence (评价报告, 统计数据…).
    public var evidenceDocumentNumber: Int?
}

/// 绩效评价 (R-GOAL-2, 第三十五条) of an accepted project by 市财政局 or 市发展改革委.
public struct PerformanceEvaluation: Codable, Sendable, Hashable {
    public var number: Int
    public var agency: OrganisationType
    public var agencyOrganisationId: UUID
    public var evaluatedOn: CivilDate
    public var recordedOn: CivilDate
    public var conclusion: String
    public var scores: [IndicatorScore]
    /// Sum of the scores, 0–100, exact to the 0.01.
    public var total: PerformanceFigure
    public var grade: PerformanceGrade
}
