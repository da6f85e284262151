import Testing

@testable import ZhengxinCore

/// Bodies and walks for 运行维护 (R-OM-1, R-OM-2).
enum OMPayloads {
    static let startedOn = Timeline.signOff

    static func arrangement(_ mode: OperationsMode = .selfManaged, from date: CivilDate = startedOn, extra: JSON = [:]) -> JSON {
        var j: JSON = ["organisation": "市卫生健康委信息中心", "rules": "《信息系统运行维护管理制度》", "mode": mode.rawValue, "effectiveFrom": date.json]
        for (k, v) in extra { j[k] = v }
        return j
    }

    static var newProcurement: JSON {
        [
            "method": "competitiveConsultation", "supplier": "某运维服务公司", "amountFen": 50_000_000,
            "awardedOn": startedOn.json, "contractNumber": "YW-2028-01",
        ]
    }

    static func fee(_ year: Int, _ amount: Fen = Fen(yuan: 200_000)) -> JSON {
        ["year": year, "amountFen": amount.json, "basis": "郑州市政务信息系统运维费标准,按硬件和软件原值的8%"]
    }
}

extension Scenario {
    /// 第二十一条: the acceptance report uploaded and filed with the three agencies.
    mutating func omFileAcceptanceReport() throws {
        try attach(.acceptanceReport)
        try act("file-acceptance-report", by: Actors.unit, ["documentNumber": project.documents(of: .acceptanceReport).last!.number])
    }

    /// An accepted project in operation, self-managed, from the day of acceptance.
    static func omOperating() throws -> Scenario {
        var s = try Scenario.at(.accepted)
        try s.omFileAcceptanceReport()
        try s.act("start-operations", by: Actors.unit, OMPayloads.arrangement(), on: OMPayloads.startedOn)
        return s
    }
}

/// R-OM-1 (第二十三条, 第二十四条): O&M organisation, rules and mode; accepted → operating.
@Suite("Operations arrangement, R-OM-1")
struct OperationsTests {
    // 第二十一条 then 第二十三条: the acceptance report is filed before operation starts.
    @Test func startOperationsNeedsTheAcceptanceReportFiled() throws {
        var s = try Scenario.at(.accepted)
        let early = s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement())
        #expect(early.rules == ["R-ACC-3"])
        #expect(early.violations.first?.article == "第二十一条")
        try s.omFileAcceptanceReport()
        try s.act("start-operations", by: Actors.unit, OMPayloads.arrangement(), on: OMPayloads.startedOn)
        #expect(s.project.stage == .operating)
        #expect(s.project.operations.startedOn == OMPayloads.startedOn)
        #expect(s.project.operations.current?.mode == .selfManaged)
        #expect(s.project.operations.current?.organisation == "市卫生健康委信息中心")
        #expect(s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement()).rules == [Lifecycle.stageRule])
    }

    @Test func onlyTheUnitStartsOperationsAndOnlyOnceAccepted() throws {
        let trial = try Scenario.at(.trialRunning)
        #expect(
            trial.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(from: trial.today)).rules == [Lifecycle.stageRule])
        var s = try Scenario.at(.accepted)
        try s.omFileAcceptanceReport()
        #expect(s.attempt("start-operations", by: Actors.fin, OMPayloads.arrangement()).isForbidden)
        #expect(s.attempt("start-operations", by: Actors.otherUnit, OMPayloads.arrangement()).isForbidden)
    }

    // Dates: not before acceptance, not in the future.
    @Test func effectiveFromBetweenAcceptanceAndToday() throws {
        var s = try Scenario.at(.accepted)
        try s.omFileAcceptanceReport()
        let accepted = try #require(s.project.acceptedOn)
        #expect(
            s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(from: accepted.addingDays(-1))).violations.map(\.field)
                == ["effectiveFrom"])
        #expect(s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(from: s.today.addingDays(1))).rules == ["INPUT"])
        #expect(s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(from: accepted)).isAccepted)
        #expect(
            s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(extra: ["organisation": " "])).violations.map(\.field)
                == ["organisation"])
    }

    // 第二十四条: 集中运维 names the institution entrusted.
    @Test func centralizedNamesTheEntrustedInstitution() throws {
        var s = try Scenario.at(.accepted)
        try s.omFileAcceptanceReport()
        let bare = s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(.centralized))
        #expect(bare.rules == ["R-OM-1"])
        #expect(bare.violations.first?.article == "第二十四条")
        #expect(bare.violations.first?.field == "entrustedInstitution")
        try s.act("start-operations", by: Actors.unit, OMPayloads.arrangement(.centralized, extra: ["entrustedInstitution": "市大数据中心"]))
        #expect(s.project.operations.current?.entrustedInstitution == "市大数据中心")
    }

    // 第二十四条: 外包运维 needs a government procurement — recorded with it, or a services procurement on file.
    @Test func outsourcedNeedsAGovernmentProcurement() throws {
        var s = try Scenario.at(.accepted)
        try s.omFileAcceptanceReport()
        let none = s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(.outsourced))
        #expect(none.rules == ["R-OM-1"])
        #expect(none.violations.first?.field == "procurement")
        let works = s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(.outsourced, extra: ["procurementNumber": 1]))
        #expect(works.rules == ["R-OM-1"], "the walk's procurement 1 is 工程, not 服务")
        #expect(works.violations.first?.field == "procurementNumber")
        #expect(
            s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(.outsourced, extra: ["procurementNumber": 9])).rules == [
                "R-OM-1"
            ])
        let both = s.attempt(
            "start-operations", by: Actors.unit,
            OMPayloads.arrangement(.outsourced, extra: ["procurementNumber": 1, "procurement": OMPayloads.newProcurement]))
        #expect(both.rules == ["INPUT"])
        var bad = OMPayloads.newProcurement
        bad["amountFen"] = 0
        #expect(
            s.attempt("start-operations", by: Actors.unit, OMPayloads.arrangement(.outsourced, extra: ["procurement": bad])).violations.map(
                \.field)
                == ["procurement.amountFen"])
        try s.act(
            "start-operations", by: Actors.unit, OMPayloads.arrangement(.outsourced, extra: ["procurement": OMPayloads.newProcurement]))
        let bought = try #require(s.project.operations.current?.procurement)
        #expect(bought.supplier == "某运维服务公司")
        #expect(bought.method == .competitiveConsultation)
        #expect(bought.amount == Fen(50_000_000))
        #expect(bought.procurementNumber == nil)
    }

    @Test func outsourcedMayReferToAServicesProcurementOnFile() throws {
        var s = try Scenario.at(.accepted)
        try s.omFileAcceptanceReport()
        var services = s.project.procurements[0]
        services.number = 2
        services.category = .services
        services.supplier = "某运维公司"
        s.project.procurements.append(services)
        try s.act("start-operations", by: Actors.unit, OMPayloads.arrangement(.outsourced, extra: ["procurementNumber": 2]))
        #expect(s.project.operations.current?.procurement?.procurementNumber == 2)
        #expect(s.project.operations.current?.procurement?.supplier == "某运维公司")
    }

    // 第二十四条: the arrangement may change in operation; the earlier one stays on record.
    @Test func changeArrangementKeepsHistory() throws {
        var s = try Scenario.omOperating()
        #expect(
            s.attempt("change-operations-arrangement", by: Actors.unit, OMPayloads.arrangement(.centralized, from: s.today)).rules == [
                "R-OM-1"
            ])
        #expect(
            s.attempt(
                "change-operations-arrangement", by: Actors.unit,
                OMPayloads.arrangement(.centralized, from: OMPayloads.startedOn.addingDays(-1), extra: ["entrustedInstitution": "x"])
            )
            .violations.map(\.field) == ["effectiveFrom", "effectiveFrom"], "before acceptance and before the arrangement in force")
        try s.act(
            "change-operations-arrangement", by: Actors.unit,
            OMPayloads.arrangement(.centralized, from: CivilDate(2029, 1, 1), extra: ["entrustedInstitution": "市大数据中心"]),
            on: CivilDate(2029, 1, 2))
        #expect(s.project.operations.arrangements.map(\.mode) == [.selfManaged, .centralized])
        #expect(s.project.operations.current?.number == 2)
        #expect(s.project.stage == .operating)
        #expect(s.attempt("change-operations-arrangement", by: Actors.drc, OMPayloads.arrangement()).isForbidden)
    }

    // Records stored before R-OM existed still decode.
    @Test func emptyStoredRecordsDecode() throws {
        let o = try decode(OperationsRecord.self, [:])
        #expect(o.arrangements.isEmpty && o.feeApplications.isEmpty && o.startedOn == nil)
        let sec = try decode(SecurityRecord.self, [:])
        #expect(sec.gradedProtection == nil && sec.keyProducts.isEmpty && sec.crypto.planned == nil)
    }
}
