import Foundation
import Testing

@testable import ZhengxinCore

/// ProjectBatch (第六条, 第七条): rows of text read and checked as the declaration form checks one draft.
@Suite("Batch declaration rows")
struct ProjectBatchTests {
    static func row(_ number: Int, _ cells: [String: String] = [:]) -> ProjectBatch.Row {
        let base = [
            "name": "批量项目", "source": "项目单位按程序申报", "planYear": "2027", "category": "政务业务信息系统", "totalInvestmentFen": "1000",
            "content": "建设内容", "goals": "建设目标",
        ]
        return ProjectBatch.Row(number: number, cells: base.merging(cells) { _, new in new })
    }

    static var ctx: DecisionContext { makeContext(Actors.unit, CivilDate(2026, 3, 2)) }

    @Test func everyRowPassingGivesTheDraftsInRowOrder() throws {
        let result = ProjectBatch.check([Self.row(2, ["name": "甲", "classified": "是"]), Self.row(3, ["name": "乙"])], Self.ctx)
        guard case .success(let drafts) = result else { Issue.record("\(result)"); return }
        #expect(drafts.map(\.name) == ["甲", "乙"])
        #expect(drafts.map(\.classified) == [true, nil])
        #expect(drafts.map(\.totalInvestmentFen) == [100_000, 100_000])
    }

    @Test func everyFailingFieldOfEveryRowIsListedWithItsArticle() {
        let rows = [
            Self.row(2), Self.row(3, ["name": " ", "totalInvestmentFen": "1.001", "planYear": "1999"]),
            Self.row(4, ["category": "其他", "classified": "可能", "ownInfrastructure.justification": "需要"]),
        ]
        guard case .failure(.refused(let found)) = ProjectBatch.check(rows, Self.ctx) else {
            Issue.record("not refused")
            return
        }
        #expect(
            Set(found.compactMap(\.field)) == [
                "rows[3].name", "rows[3].totalInvestmentFen", "rows[3].planYear", "rows[4].category", "rows[4].classified",
                "rows[4].ownInfrastructure.items",
            ])
        #expect(found.allSatisfy { $0.article != nil && $0.message.hasPrefix("第") })
        #expect(found.first { $0.field == "rows[4].ownInfrastructure.items" }?.article == "第二十七条")
        #expect(found.first { $0.field == "rows[3].name" }?.message == "第3行「项目名称」: 不能为空")
    }

    @Test func aRefusalQuotesAtMostThirtyCharactersOfWhatWasTyped() {
        let typed = String(repeating: "甲", count: 100_000)
        guard case .failure(.refused(let found)) = ProjectBatch.check([Self.row(2, ["source": typed, "category": typed])], Self.ctx) else {
            Issue.record("not refused")
            return
        }
        #expect(found.count == 2 && found.allSatisfy { $0.message.count < 200 })
        #expect(found.first?.message.contains(String(repeating: "甲", count: 30) + "…") == true)
    }

    @Test func ownInfrastructureIsBoundedLikeEveryOtherText() {
        let items = (1...ProjectDraft.maxInfrastructureItems).map { "机房\($0)" }.joined(separator: "、")
        let fine = ["ownInfrastructure.items": items, "ownInfrastructure.justification": String(repeating: "需", count: 5_000)]
        guard case .success = ProjectBatch.check([Self.row(2, fine)], Self.ctx) else {
            Issue.record("20 items and 5,000 characters are within the bounds")
            return
        }
        let tooMany = ["ownInfrastructure.items": items + "、再一项"]
        let tooLong = ["ownInfrastructure.items": "机房", "ownInfrastructure.sharingPlan": String(repeating: "享", count: 5_001)]
        guard case .failure(.refused(let found)) = ProjectBatch.check([Self.row(2, tooMany), Self.row(3, tooLong)], Self.ctx) else {
            Issue.record("not refused")
            return
        }
        #expect(Set(found.compactMap(\.field)) == ["rows[2].ownInfrastructure.items", "rows[3].ownInfrastructure.sharingPlan"])
    }

    @Test func onlyUnitsMayDeclareABatch() {
        for actor in [Actors.drc, Actors.vendor, Actors.unitViewer] {
            guard case .failure(.forbidden(let reason)) = ProjectBatch.check([Self.row(2)], makeContext(actor, CivilDate(2026, 3, 2)))
            else {
                Issue.record("\(actor.organisationType) not refused")
                continue
            }
            #expect(reason.contains("第三条"))
        }
    }
}
