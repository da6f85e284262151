/// The numbers of 第二十五条 and 第三十二条/第三十三条 that the Measures leave to interpretation
/// (R-POL-1). A policy version without its own values follows the city's 2020 ones, as a county
/// without its own measures follows the city (第四十二条).
public struct OperationsSecurityParameters: Hashable, Sendable, Codable {
    /// 等级保护 (第三十三条): from this level on, an 等级测评 is due every `gradedProtectionAssessmentMonths`.
    public var annualAssessmentMinimumLevel: Int
    public var gradedProtectionAssessmentMonths: Int
    /// 密评 (第三十二条 "定期评估"): from this level on, a 商用密码应用安全性评估 every `cryptoAssessmentMonths`.
    public var cryptoAssessmentMinimumLevel: Int
    public var cryptoAssessmentMonths: Int
    /// 运维费 (第二十五条 "按年度"): a unit applies for the current year or up to this many years ahead
    /// (the department budget for year Y is compiled in year Y−1), never for a past year.
    public var operationsFeeYearsAhead: Int
    /// The years ahead a version may set (PolicyBook), and within which a version stored before reads.
    public static let feeYearsAheadBound = 0...10
    /// R-SEC-1/R-SEC-2 at acceptance: require the 等级保护 filing and the 密码 "built" record before
    /// apply-for-acceptance. A project whose crypto was planned always needs "built" (三同步).
    public var securityRecordsBeforeAcceptance: Bool

    public init(
        annualAssessmentMinimumLevel: Int, gradedProtectionAssessmentMonths: Int, cryptoAssessmentMinimumLevel: Int,
        cryptoAssessmentMonths: Int, operationsFeeYearsAhead: Int, securityRecordsBeforeAcceptance: Bool
    ) {
        self.annualAssessmentMinimumLevel = annualAssessmentMinimumLevel
        self.gradedProtectionAssessmentMonths = gradedProtectionAssessmentMonths
        self.cryptoAssessmentMinimumLevel = cryptoAssessmentMinimumLevel
        self.cryptoAssessmentMonths = cryptoAssessmentMonths
        self.operationsFeeYearsAhead = operationsFeeYearsAhead
        self.securityRecordsBeforeAcceptance = securityRecordsBeforeAcceptance
    }

    /// 郑政文〔2020〕70号 as we read it: level 3 and above yearly (GB/T 22239, GM/T 0054), one year ahead.
    /// Every project records its 等级保护 filing and builds its 密码保障系统 before acceptance (第三十二条
    /// 同步规划、同步建设, 第三十三条).
    public static let zhengzhou2020 = OperationsSecurityParameters(
        annualAssessmentMinimumLevel: 3, gradedProtectionAssessmentMonths: 12,
        cryptoAssessmentMinimumLevel: 3, cryptoAssessmentMonths: 12,
        operationsFeeYearsAhead: 1, securityRecordsBeforeAcceptance: true)
}

extension Policy {
    /// This version's O&M and security numbers, or the city's 2020 ones. The years ahead are read within
    /// PolicyBook's bound even for a version stored before it: they are added to a year.
    public var operationsSecurity: OperationsSecurityParameters {
        var numbers = operationsAndSecurity ?? .zhengzhou2020
        let bound = OperationsSecurityParameters.feeYearsAheadBound
        numbers.operationsFeeYearsAhead = min(max(numbers.operationsFeeYearsAhead, bound.lowerBound), bound.upperBound)
        return numbers
    }
}
