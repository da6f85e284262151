/// R-POL-1 (第四十二条, 第四十三条): the versions of the Measures in force, by jurisdiction and
/// effective date. The city's 2020 version ships built in; a county may adopt its own.
public struct PolicyBook: Sendable {
    /// Jurisdiction code of the city itself.
    public static let city = "zhengzhou"

    public var versions: [Policy]

    public init(versions: [Policy]) { self.versions = versions }

    public static let builtIn = PolicyBook(versions: [.zhengzhou2020])

    public func version(id: String) -> Policy? { versions.first { $0.id == id } }

    /// The latest version of `jurisdiction` effective on `date`. A county with no version of its
    /// own in force follows the city's (第四十二条: counties "可参照本办法").
    public func inForce(jurisdiction: String, on date: CivilDate) -> Policy {
        func latest(_ code: String) -> Policy? {
            versions.filter { $0.jurisdiction == code && $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
        }
        return latest(jurisdiction) ?? latest(Self.city) ?? .zhengzhou2020
    }

    /// The version a project is judged under: the one pinned at declaration; before declaration,
    /// the one in force today in its jurisdiction (so a draft shows the rules it would face).
    public func governing(_ p: ProjectRecord, today: CivilDate) -> Policy {
        if p.declaredAt != nil, let pinned = version(id: p.policyId) { return pinned }
        return inForce(jurisdiction: p.jurisdiction, on: today)
    }

    /// The longest period in months a version may set (ten years).
    public static let longestMonths = 120

    /// What a new version must satisfy before it is added (thresholds ordered, dates real, ids unique).
    public func problems(adding v: Policy) -> [Violation] {
        var c = Checklist()
        c.require(!v.id.isEmpty && version(id: v.id) == nil, .input("id", "政策版本编号为空或已存在"))
        // Bounded, bytes too: the id is the key of an index (PostgreSQL refused a 4,000-byte one with a
        // 500), and every user's policy list carries id, title and jurisdiction.
        c.require(v.id.count <= 64 && v.id.utf8.count <= 256, .input("id", "政策版本编号不超过64个字符"))
        c.require(!v.jurisdiction.isEmpty, .input("jurisdiction", "请指定适用地区"))
        c.require(v.jurisdiction.count <= 50 && v.jurisdiction.utf8.count <= 400, .input("jurisdiction", "适用地区不超过50个字符"))
        c.require(v.title.count <= 200 && v.title.utf8.count <= 1_600, .input("title", "政策名称不超过200个字符"))
        c.require(v.tier2Threshold > .zero && v.tier2Threshold < v.tier3Threshold, .input("tier3Threshold", "投资分级界限应为正数且递增"))
        c.require(v.executiveMeetingSuggestion > .zero, .input("executiveMeetingSuggestion", "常务会建议金额应为正数"))
        c.require(
            CivilDate(year: 2021, month: v.declarationDeadlineMonth, day: v.declarationDeadlineDay) != nil,
            .input("declarationDeadlineDay", "申报截止日期无效"))
        c.require((0...100).contains(v.changeFilingPercent), .input("changeFilingPercent", "变更备案比例应在0至100之间"))
        // Every count of months or years and every level within what the Measures could mean: each one
        // feeds date arithmetic on every action, and 9,223,372,036,854,775,807 months once trapped in it.
        c.require((1...Self.longestMonths).contains(v.minimumTrialRunMonths), .input("minimumTrialRunMonths", "试运行月数应在1至120之间"))
        c.require((1...Self.longestMonths).contains(v.acceptanceWindowMonths), .input("acceptanceWindowMonths", "验收期限月数应在1至120之间"))
        if let months = v.performanceEvaluationMonths {
            c.require((1...Self.longestMonths).contains(months), .input("performanceEvaluationMonths", "绩效评价月数应在1至120之间"))
        }
        if let o = v.operationsAndSecurity {
            c.require(
                (1...Self.longestMonths).contains(o.gradedProtectionAssessmentMonths),
                .input("gradedProtectionAssessmentMonths", "等级测评周期月数应在1至120之间"))
            c.require((1...Self.longestMonths).contains(o.cryptoAssessmentMonths), .input("cryptoAssessmentMonths", "密码评估周期月数应在1至120之间"))
            c.require((1...5).contains(o.annualAssessmentMinimumLevel), .input("annualAssessmentMinimumLevel", "等级保护级别应在1至5之间"))
            c.require((1...5).contains(o.cryptoAssessmentMinimumLevel), .input("cryptoAssessmentMinimumLevel", "密码评估级别应在1至5之间"))
            c.require(
                OperationsSecurityParameters.feeYearsAheadBound.contains(o.operationsFeeYearsAhead),
                .input("operationsFeeYearsAhead", "运维费可提前申请的年数应在0至10之间"))
        }
        c.require(v.maximumAmount > v.tier3Threshold, .input("maximumAmount", "金额上限应高于分级界限"))
        // No higher than the Measures' own version: the tallies and reports add amounts up in 64 bits,
        // and a cap near that limit would let two projects' sum overflow them.
        c.require(
            v.maximumAmount <= Policy.zhengzhou2020.maximumAmount,
            .input("maximumAmount", "金额上限不超过\(Policy.zhengzhou2020.maximumAmount.yuanText)元"))
        return c.violations
    }
}
