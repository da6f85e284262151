import Testing

@testable import ZhengxinCore

enum SecPayloads {
    static func grading(_ level: Int, on date: CivilDate) -> JSON {
        ["level": level, "filingNumber": "41010013001-00001", "filedOn": date.json]
    }
    static func assessment(_ result: AssessmentResult = .pass, on date: CivilDate) -> JSON {
        ["assessedOn": date.json, "result": result.rawValue, "body": "河南省信息安全测评中心", "reportNumber": "CP-2028-001"]
    }
    static func milestone(_ date: CivilDate) -> JSON { ["on": date.json, "summary": "采用SM2/SM3/SM4国产密码算法"] }

    /// A policy that requires the 等级保护 filing and the crypto "built" record before acceptance.
    static func strict(_ s: inout Scenario) {
        var params = OperationsSecurityParameters.zhengzhou2020
        params.securityRecordsBeforeAcceptance = true
        s.policy.operationsAndSecurity = params
    }
}

extension Scenario {
    /// 同步规划 in the project's approved design document.
    mutating func secPlanCrypto() throws {
        let design = project.documents.first { $0.kind.needsSharingChapter }!.number
        try act("record-crypto-plan", by: Actors.unit, ["designDocumentNumber": design, "summary": "密码应用方案"])
    }
}

/// R-SEC-1 (第三十三条), R-SEC-2 (第三十二条), R-SEC-3 (第三十四条): the unit's security records.
@Suite("Security records, R-SEC-1..3")
struct SecurityTests {
    // 第三十三条: level 1–5, filing number and date.
    @Test func gradedProtectionLevelOneToFive() throws {
        var s = try Scenario.at(.constructing)
        for bad in [0, 6] {
            #expect(
                s.attempt("record-graded-protection", by: Actors.unit, SecPayloads.grading(bad, on: s.today)).violations.map(\.field) == [
                    "level"
                ])
        }
        #expect(s.attempt("record-graded-protection", by: Actors.unit, SecPayloads.grading(1, on: s.today)).isAccepted)
        try s.act("record-graded-protection", by: Actors.unit, SecPayloads.grading(5, on: s.today))
        #expect(s.project.security.gradedProtection?.level == 5)
        try s.act("record-graded-protection", by: Actors.unit, SecPayloads.grading(3, on: s.today))
        #expect(s.project.security.gradedProtection?.level == 3, "re-graded")
        #expect(
            s.attempt("record-graded-protection", by: Actors.bdb, SecPayloads.grading(3, on: s.today)).isForbidden,
            "the unit is responsible")
        #expect(
            s.attempt("record-graded-protection", by: Actors.unit, SecPayloads.grading(3, on: s.today.addingDays(1))).rules == ["INPUT"])
        let draft = try Scenario.draft()
        #expect(
            draft.attempt("record-graded-protection", by: Actors.unit, SecPayloads.grading(3, on: draft.today)).rules == [
                Lifecycle.stageRule
            ])
    }

    // 第三十三条: 等级测评 after the filing.
    @Test func assessmentNeedsTheFiling() throws {
        var s = try Scenario.at(.constructing)
        let none = s.attempt("record-security-assessment", by: Actors.unit, SecPayloads.assessment(on: s.today))
        #expect(none.rules == ["R-SEC-1"])
        #expect(none.violations.first?.article == "第三十三条")
        try s.act("record-graded-protection", by: Actors.unit, SecPayloads.grading(3, on: s.today))
        #expect(
            s.attempt("record-security-assessment", by: Actors.unit, SecPayloads.assessment(on: s.today.addingDays(-1))).violations.map(
                \.field)
                == ["assessedOn"])
        try s.act("record-security-assessment", by: Actors.unit, SecPayloads.assessment(.fail, on: s.today))
        #expect(s.project.security.assessments.map(\.result) == [.fail])
        #expect(s.project.security.lastPassedAssessment == nil)
    }

    // 第三十二条 同步规划: in one of the project's design documents.
    @Test func cryptoPlanRefersToADesignDocument() throws {
        var s = try Scenario.at(.constructing)
        try s.attach(.contract)
        let contract = s.project.documents(of: .contract).last!.number
        #expect(
            s.attempt("record-crypto-plan", by: Actors.unit, ["designDocumentNumber": contract, "summary": "x"]).violations.map(\.field)
                == ["designDocumentNumber"])
        try s.secPlanCrypto()
        #expect(s.project.security.crypto.planned?.designDocumentKind == .implementationPlan)
        let trial = try Scenario.at(.trialRunning)
        #expect(
            trial.attempt("record-crypto-plan", by: Actors.unit, ["designDocumentNumber": 1, "summary": "x"]).rules == [Lifecycle.stageRule]
        )
    }

    // 三同步 in order: planned → built → running; each once.
    @Test func cryptoPlannedBuiltRunningInOrder() throws {
        var s = try Scenario.at(.constructing)
        let unplanned = s.attempt("record-crypto-built", by: Actors.unit, SecPayloads.milestone(s.today))
        #expect(unplanned.rules == ["R-SEC-2"])
        #expect(unplanned.violations.first?.article == "第三十二条")
        #expect(s.attempt("record-crypto-assessment", by: Actors.unit, SecPayloads.assessment(on: s.today)).rules == ["R-SEC-2"])
        try s.secPlanCrypto()
        try s.act("record-crypto-built", by: Actors.unit, SecPayloads.milestone(s.today))
        #expect(s.attempt("record-crypto-built", by: Actors.unit, SecPayloads.milestone(s.today)).rules == ["R-SEC-2"], "once")
        #expect(
            s.attempt("record-crypto-plan", by: Actors.unit, ["designDocumentNumber": 1, "summary": "x"]).rules == ["R-SEC-2"],
            "plan is fixed once built")
        #expect(
            s.attempt("record-crypto-running", by: Actors.unit, SecPayloads.milestone(s.today)).rules == [Lifecycle.stageRule],
            "running is for operation")
        try s.act("record-crypto-assessment", by: Actors.unit, SecPayloads.assessment(on: s.today))
        #expect(s.project.security.crypto.assessments.count == 1)
        try s.walk(to: .accepted)
        #expect(
            s.attempt("record-crypto-running", by: Actors.unit, SecPayloads.milestone(Timeline.construction.addingDays(-1))).violations.map(
                \.field) == ["on"])
        try s.act("record-crypto-running", by: Actors.unit, SecPayloads.milestone(s.today))
        #expect(s.project.security.crypto.running?.on == s.today)
        #expect(s.attempt("record-crypto-running", by: Actors.unit, SecPayloads.milestone(s.today)).rules == ["R-SEC-2"])
    }

    @Test func runningNeedsBuilt() throws {
        let s = try Scenario.at(.accepted, NewProject(securityRecords: false))
        #expect(s.attempt("record-crypto-running", by: Actors.unit, SecPayloads.milestone(s.today)).rules == ["R-SEC-2"])
    }

    // 第三十二条 同步建设: a planned crypto system is built before acceptance is applied for.
    @Test func plannedCryptoMustBeBuiltBeforeAcceptance() throws {
        var s = try Scenario.at(.constructing, NewProject(securityRecords: false))
        try s.secPlanCrypto()
        try s.walk(to: .trialRunning)
        try s.prepareAcceptance()
        let d = s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd)
        #expect(d.rules == ["R-SEC-2"])
        #expect(d.violations.first?.article == "第三十二条")
        try s.act("record-crypto-built", by: Actors.unit, SecPayloads.milestone(s.today))
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).isAccepted)
    }

    // With the policy's securityRecordsBeforeAcceptance: the filing (R-SEC-1) and crypto built (R-SEC-2) for every project.
    @Test func strictPolicyRequiresFilingAndCryptoBuilt() throws {
        var s = try Scenario.at(.trialRunning, NewProject(securityRecords: false))
        SecPayloads.strict(&s)
        try s.prepareAcceptance()
        let d = s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd)
        #expect(d.rules == ["R-SEC-1", "R-SEC-2"])
        #expect(d.violations.map(\.article) == ["第三十三条", "第三十二条"])
        try s.act("record-graded-protection", by: Actors.unit, SecPayloads.grading(2, on: s.today))
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).rules == ["R-SEC-2"])
        var planned = try Scenario.at(.constructing, NewProject(securityRecords: false))
        SecPayloads.strict(&planned)
        try planned.act("record-graded-protection", by: Actors.unit, SecPayloads.grading(3, on: planned.today))
        try planned.secPlanCrypto()
        try planned.act("record-crypto-built", by: Actors.unit, SecPayloads.milestone(planned.today))
        try planned.walk(to: .accepted)
        #expect(planned.project.stage == .accepted)
    }

    // 第三十四条: the review keeps the per-product list of key products.
    @Test func productReviewKeepsTheKeyProductList() throws {
        var s = try Scenario.at(.constructing)
        try s.act(
            "record-procurement", by: Actors.unit,
            [
                "category": "goods", "method": "publicTender", "amountFen": 1_000_00, "supplier": "某数据库公司", "awardedOn": s.today.json,
                "items": [
                    ["name": "数据库管理系统", "productClass": "basicSoftware", "domesticIP": false, "secureAndControllable": false],
                    ["name": "防火墙", "productClass": "securityProduct", "domesticIP": true, "secureAndControllable": true],
                    ["name": "运维服务", "productClass": "service", "domesticIP": true, "secureAndControllable": true],
                ],
            ])
        try s.act("record-product-security-review", by: Actors.unit, ["reviewedOn": s.today.json, "conclusion": "数据库需替换"])
        let list = s.project.security.keyProducts
        #expect(list.map(\.name) == ["业务应用系统", "数据库管理系统", "防火墙"])
        #expect(list.map(\.procurementNumber) == [1, 2, 2])
        #expect(list.filter(\.secureAndControllable).count == 2)
        #expect(s.project.productSecurityReview?.keyProducts == 3)
        #expect(s.project.productSecurityReview?.secureAndControllableProducts == 2)
    }
}
