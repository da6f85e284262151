/// The numbers of the Measures, in one value. No rule hard-codes any of them (R-POL-1): a county
/// or a later revision is a different `Policy`, chosen by jurisdiction and declaration date.
public struct Policy: Hashable, Sendable, Codable {
    public var id: String
    public var title: String
    public var jurisdiction: String
    public var effectiveFrom: CivilDate

    /// 第九条: below this is tier 1 (总投资1000万元以下).
    public var tier2Threshold: Fen
    /// 第九条: from this on, tier 3 (5000万元及以上).
    public var tier3Threshold: Fen
    /// 第六条 (interpretation): the system suggests a 政府常务会 decision from this total on.
    public var executiveMeetingSuggestion: Fen
    /// 第七条: declarations for plan year Y close at the end of this month/day of year Y−1, Beijing time.
    public var declarationDeadlineMonth: Int
    public var declarationDeadlineDay: Int
    /// 第十九条: unit-adjustable change limit, as a percentage of 概算总投资 (exact integer test).
    public var changeFilingPercent: Int64
    /// 第二十条: minimum trial run, in calendar months.
    public var minimumTrialRunMonths: Int
    /// 第二十一条: acceptance due within this many months of completion.
    public var acceptanceWindowMonths: Int
    /// Input sanity bound: no single amount above this (10万亿元), so one project's sums stay far from
    /// Int64; the report's sums over many projects are bounded where they are kept (the tallies' guard).
    public var maximumAmount: Fen
    /// 第二十五条, 第三十二条, 第三十三条: O&M fee years and security assessment periods; nil follows the city's 2020 values.
    public var operationsAndSecurity: OperationsSecurityParameters? = nil
    /// R-GOAL-2 (第三十五条): months after 竣工验收 by which the first 绩效评价 is due. The Measures name
    /// no period; nil is the city's setting, `defaultPerformanceEvaluationMonths`.
    public var performanceEvaluationMonths: Int? = nil

    /// The city's setting for `performanceEvaluationMonths`: one year after acceptance.
    public static let defaultPerformanceEvaluationMonths = 12
    public var evaluationMonths: Int { performanceEvaluationMonths ?? Self.defaultPerformanceEvaluationMonths }

    public init(
        id: String, title: String, jurisdiction: String, effectiveFrom: CivilDate,
        tier2Threshold: Fen, tier3Threshold: Fen, executiveMeetingSuggestion: Fen,
        declarationDeadlineMonth: Int, declarationDeadlineDay: Int, changeFilingPercent: Int64,
        minimumTrialRunMonths: Int, acceptanceWindowMonths: Int, maximumAmount: Fen
    ) {
        self.id = id
        self.title = title
        self.jurisdiction = jurisdiction
        self.effectiveFrom = effectiveFrom
        self.tier2Threshold = tier2Threshold
        self.tier3Threshold = tier3Threshold
        self.executiveMeetingSuggestion = executiveMeetingSuggestion
        self.declarationDeadlineMonth = declarationDeadlineMonth
        self.declarationDeadlineDay = declarationDeadlineDay
        self.changeFilingPercent = changeFilingPercent
        self.minimumTrialRunMonths = minimumTrialRunMonths
        self.acceptanceWindowMonths = acceptanceWindowMonths
        self.maximumAmount = maximumAmount
    }

    /// 郑政文〔2020〕70号, in force from its issue on 2020-05-29.
    public static let zhengzhou2020 = Policy(
        id: "zhengzhou-2020-70",
        title: "郑州市政务信息化项目建设管理暂行办法(郑政文〔2020〕70号)",
        jurisdiction: PolicyBook.city,
        effectiveFrom: CivilDate(2020, 5, 29),
        tier2Threshold: Fen(yuan: 10_000_000),
        tier3Threshold: Fen(yuan: 50_000_000),
        executiveMeetingSuggestion: Fen(yuan: 50_000_000),
        declarationDeadlineMonth: 6,
        declarationDeadlineDay: 30,
        changeFilingPercent: 15,
        minimumTrialRunMonths: 3,
        acceptanceWindowMonths: 6,
        maximumAmount: Fen(yuan: 10_000_000_000_000)
    )

    /// The last instant at which a unit may declare for `planYear`: 23:59:59 Beijing time on
    /// the deadline day of the previous year (第七条 "每年6月底前").
    public func declarationDeadline(planYear: Int) -> Instant {
        let day = CivilDate(year: planYear - 1, month: declarationDeadlineMonth, day: declarationDeadlineDay)!
        return Instant(beijing: day, hour: 23, minute: 59, second: 59)
    }

    /// Amount validity shared by every money field: positive and below the sanity bound.
    public func checkAmount(_ amount: Fen, field: String, allowZero: Bool = false) -> Violation? {
        if amount.value < 0 || (!allowZero && amount.value == 0) {
            return .input(field, allowZero ? "金额不能为负数" : "金额必须大于零")
        }
        if amount > maximumAmount {
            return .input(field, "金额超出允许范围(不超过\(maximumAmount.yuanText))")
        }
        return nil
    }
}
