import Testing

@testable import ZhengxinCore

/// Before and at the start of construction: R-CON-1 (第十二条), R-CON-2 (第十三条, 第十四条),
/// R-CON-3 (第十五条), R-CON-4 (第十六条), R-CON-5 (第十七条).
@Suite("Construction, R-CON-1..5")
struct ConstructionTests {
    let start: JSON = ["startedOn": Timeline.procurement.json]

    // R-CON-1..4: start-construction lists every missing prerequisite at once, each with its article.
    @Test func startConstructionListsAllMissingPrerequisites() throws {
        let s = try Scenario.at(.procuring)
        let d = s.attempt("start-construction", by: Actors.unit, start)
        #expect(d.rules == ["R-CON-1", "R-CON-2", "R-CON-3", "R-CON-4"])
        #expect(d.violations.map(\.article) == ["第十二条", "第十三条", "第十五条", "第十六条"])
    }

    // R-CON-5 第十七条: a 涉密 project also needs both confidentiality agreements.
    @Test func classifiedProjectAlsoNeedsBothConfidentialityAgreements() throws {
        var s = try Scenario.at(.procuring, NewProject(classified: true))
        #expect(
            s.attempt("start-construction", by: Actors.unit, start).rules == [
                "R-CON-1", "R-CON-2", "R-CON-3", "R-CON-4", "R-CON-5", "R-CON-5",
            ])
        try s.act("record-confidentiality-agreement", by: Actors.unit, ["party": "unit", "partyName": "项目单位", "signedOn": s.today.json])
        try s.act("record-confidentiality-agreement", by: Actors.unit, ["party": "unit", "partyName": "项目单位", "signedOn": s.today.json])
        #expect(
            s.attempt("start-construction", by: Actors.unit, start).rules.filter { $0 == "R-CON-5" } == ["R-CON-5"],
            "two unit agreements do not make a contractor agreement")
        try s.act(
            "record-confidentiality-agreement", by: Actors.unit, ["party": "contractor", "partyName": "承建单位", "signedOn": s.today.json])
        try s.recordConstructionPrerequisites()
        try s.act("start-construction", by: Actors.unit, start)
        #expect(s.project.stage == .constructing)
    }

    // R-CON-5 第十七条: every 承建单位 and every 监理单位 of a 涉密 project signs before construction
    // starts — an agreement with the first contractor does not cover the second.
    @Test func classifiedProjectNeedsAnAgreementWithEveryContractorAndSupervisor() throws {
        var s = try Scenario.at(.procuring, NewProject(classified: true))
        try s.recordConstructionPrerequisites()
        var second = Payloads.constructionContract()
        second["contractNumber"] = "HT-2027-02"
        second["contractor"] = "另一家软件有限公司"
        try s.act("record-construction-contract", by: Actors.unit, second)
        let refused = s.attempt("start-construction", by: Actors.unit, start)
        #expect(refused.rules == ["R-CON-5"])
        #expect(refused.violations.first?.article == "第十七条")
        #expect(refused.violations.first?.message.contains("另一家软件有限公司") == true)
        // A name typed with spaces is the same party; a 监理 agreement does not stand for a contractor.
        try s.act(
            "record-confidentiality-agreement", by: Actors.unit,
            ["party": "supervisor", "partyName": "另一家软件有限公司", "signedOn": s.today.json])
        #expect(s.attempt("start-construction", by: Actors.unit, start).rules == ["R-CON-5"])
        try s.act(
            "record-confidentiality-agreement", by: Actors.unit,
            ["party": "contractor", "partyName": " 另一家 软件有限公司", "signedOn": s.today.json])
        try s.act("start-construction", by: Actors.unit, start)
        #expect(s.project.stage == .constructing)
    }

    // R-CON-5 第十七条: a 监理单位 without an agreement holds construction back too.
    @Test func classifiedProjectNeedsTheSupervisorsAgreement() throws {
        var s = try Scenario.at(.procuring, NewProject(classified: true))
        try s.recordConstructionPrerequisites()
        s.project.confidentialityAgreements.removeAll { $0.party == .supervisor }
        let refused = s.attempt("start-construction", by: Actors.unit, start)
        #expect(refused.rules == ["R-CON-5"])
        #expect(refused.violations.first?.message.contains("监理单位「某监理公司」") == true)
    }

    // R-CON-5 第十七条: once construction has started, a contractor or 监理 added later signs first.
    @Test func contractorAddedDuringConstructionSignsBeforeItsContract() throws {
        var s = try Scenario.at(.procuring, NewProject(classified: true))
        try s.recordConstructionPrerequisites()
        try s.act("start-construction", by: Actors.unit, start)
        var later = Payloads.constructionContract()
        later["contractNumber"] = "HT-2027-03"
        later["contractor"] = "后加入的集成公司"
        let refused = s.attempt("record-construction-contract", by: Actors.unit, later)
        #expect(refused.rules == ["R-CON-5"])
        #expect(refused.violations.first?.field == "contractor")
        var supervisor = Payloads.supervisionContract()
        supervisor["supervisionFirm"] = "后加入的监理公司"
        #expect(s.attempt("record-supervision-contract", by: Actors.unit, supervisor).rules == ["R-CON-5"])
        try s.act(
            "record-confidentiality-agreement", by: Actors.unit, ["party": "contractor", "partyName": "后加入的集成公司", "signedOn": s.today.json])
        try s.act("record-construction-contract", by: Actors.unit, later)
        // An unclassified project needs none of this.
        var open = try Scenario.at(.procuring)
        try open.recordConstructionPrerequisites()
        try open.act("start-construction", by: Actors.unit, start)
        try open.act("record-construction-contract", by: Actors.unit, later)
    }

    // R-CON-1..4: with everything on record construction starts (start date not in the future).
    @Test func startConstructionWithEverythingOnRecord() throws {
        var s = try Scenario.at(.procuring)
        try s.recordConstructionPrerequisites()
        #expect(s.attempt("start-construction", by: Actors.unit, ["startedOn": s.today.addingDays(1).json]).rules == ["INPUT"])
        try s.act("start-construction", by: Actors.unit, start)
        #expect(s.project.stage == .constructing)
        #expect(s.project.constructionStartedOn == Timeline.procurement)
        #expect(s.project.responsibility?.responsiblePerson == "张三")
    }

    // R-CON-1 第十二条: agency, person and phone are all required.
    @Test func responsibilityFieldsRequired() throws {
        let s = try Scenario.at(.approved)
        var json = Payloads.responsibility
        json["responsiblePerson"] = " "
        let d = s.attempt("record-responsibility", by: Actors.unit, json)
        #expect(d.violations.map(\.field) == ["responsiblePerson"])
        json.removeValue(forKey: "contactPhone")
        #expect(s.attempt("record-responsibility", by: Actors.unit, json).violations.map(\.field) == ["contactPhone"])
    }

    // R-CON-3 第十五条: one violation per missing clause.
    @Test(arguments: [
        Set<ContractClause>([.warrantyPeriod]), [.paymentTerms, .liabilityForBreach, .operatorTraining], Set(ContractClause.allCases),
    ])
    func constructionContractMissingClausesOneViolationEach(_ missing: Set<ContractClause>) throws {
        let s = try Scenario.at(.procuring)
        let d = s.attempt(
            "record-construction-contract", by: Actors.unit, Payloads.constructionContract(clauses: Payloads.clauses(missing: missing)))
        #expect(d.rules == Array(repeating: "R-CON-3", count: missing.count))
        #expect(d.violations.allSatisfy { $0.article == "第十五条" })
    }

    // R-CON-3 第十五条: a clause is not applicable only with a reason; warranty end recorded.
    @Test func clauseNotApplicableNeedsAReason() throws {
        var s = try Scenario.at(.procuring)
        for blank in ["", "   "] {
            let d = s.attempt(
                "record-construction-contract", by: Actors.unit,
                Payloads.constructionContract(clauses: Payloads.clauses(notApplicable: [.equipmentSpecification: blank])))
            #expect(d.rules == ["R-CON-3"])
        }
        let noEquipment: [ContractClause: String] = [.equipmentSpecification: "纯软件项目,无设备采购", .equipmentDelivery: "无设备"]
        try s.act(
            "record-construction-contract", by: Actors.unit,
            Payloads.constructionContract(clauses: Payloads.clauses(notApplicable: noEquipment)))
        let contract = try #require(s.project.constructionContracts.first)
        #expect(contract.warrantyEnd == Timeline.procurement.addingMonths(36))
        #expect(contract.contractorOrganisationId == Orgs.vendor)
    }

    // R-CON-3 第十五条: the free warranty ends after signing (INPUT).
    @Test func warrantyMustEndAfterSigning() throws {
        let s = try Scenario.at(.procuring)
        var json = Payloads.constructionContract()
        json["warrantyEnd"] = s.today.json
        let d = s.attempt("record-construction-contract", by: Actors.unit, json)
        #expect(d.rules == ["INPUT"])
        #expect(d.violations.first?.field == "warrantyEnd")
    }

    // R-CON-2 第十三条: works go through 招标投标.
    @Test(arguments: [ProcurementMethod.competitiveNegotiation, .competitiveConsultation, .singleSource, .requestForQuotation])
    func worksProcuredWithoutTenderingRefused(_ method: ProcurementMethod) throws {
        let s = try Scenario.at(.procuring)
        let d = s.attempt("record-procurement", by: Actors.unit, Payloads.procurement(.works, method))
        #expect(d.rules == ["R-CON-2"])
        #expect(d.violations.first?.article == "第十三条")
        #expect(d.violations.first?.field == "method")
    }

    // R-CON-2 第十三条: works by public or invited tender.
    @Test(arguments: [ProcurementMethod.publicTender, .invitedTender])
    func worksProcuredByTenderingAccepted(_ method: ProcurementMethod) throws {
        let s = try Scenario.at(.procuring)
        #expect(s.attempt("record-procurement", by: Actors.unit, Payloads.procurement(.works, method)).isAccepted)
    }

    // R-CON-2 第十四条: 政府购买服务 only for services; goods follow 政府采购.
    @Test func serviceProcurementOnlyForServices() throws {
        let s = try Scenario.at(.procuring)
        let goods = s.attempt("record-procurement", by: Actors.unit, Payloads.procurement(.goods, .serviceProcurement))
        #expect(goods.rules == ["R-CON-2"])
        #expect(goods.violations.first?.article == "第十四条")
        #expect(
            s.attempt("record-procurement", by: Actors.unit, Payloads.procurement(.works, .serviceProcurement)).rules == [
                "R-CON-2", "R-CON-2",
            ])
        #expect(s.attempt("record-procurement", by: Actors.unit, Payloads.procurement(.services, .serviceProcurement)).isAccepted)
        #expect(s.attempt("record-procurement", by: Actors.unit, Payloads.procurement(.goods, .competitiveNegotiation)).isAccepted)
    }

    // R-CON-2 第十四条 / 第三十四条: items are listed with their IP and security flags.
    @Test func procurementMustListItems() throws {
        let s = try Scenario.at(.procuring)
        var json = Payloads.procurement()
        json["items"] = [JSON]()
        #expect(s.attempt("record-procurement", by: Actors.unit, json).violations.map(\.field) == ["items"])
    }

    // R-CON-4 第十六条: the supervision contract is recorded while procuring or constructing.
    @Test func contractsOnlyWhileProcuringOrConstructing() throws {
        let approved = try Scenario.at(.approved)
        #expect(
            approved.attempt("record-supervision-contract", by: Actors.unit, Payloads.supervisionContract(on: approved.today)).rules == [
                Lifecycle.stageRule
            ])
        var s = try Scenario.at(.constructing)
        try s.act("record-supervision-contract", by: Actors.unit, Payloads.supervisionContract(on: s.today))
        #expect(s.project.supervisionContracts.count == 2)
    }
}
